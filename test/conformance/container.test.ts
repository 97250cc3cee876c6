import { AwilixAdapter } from 'dovetailjs/components/container/awilix'
import { InversifyAdapter } from 'dovetailjs/components/container/inversify'
import { runContainerConformance } from 'dovetailjs/testing/conformance'

runContainerConformance({ name: 'container/awilix', createAdapter: () => new AwilixAdapter() })
runContainerConformance({ name: 'container/inversify', createAdapter: () => new InversifyAdapter() })
