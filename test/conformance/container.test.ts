import { AwilixAdapter } from 'dovetail/components/container/awilix'
import { InversifyAdapter } from 'dovetail/components/container/inversify'
import { runContainerConformance } from 'dovetail/testing/conformance'

runContainerConformance({ name: 'container/awilix', createAdapter: () => new AwilixAdapter() })
runContainerConformance({ name: 'container/inversify', createAdapter: () => new InversifyAdapter() })
