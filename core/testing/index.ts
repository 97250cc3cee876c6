export { createTestClient, type TestClient, type TestRequestOptions } from './test-client.js'
export { runRouterConformance, type RouterConformanceOptions } from './conformance/router.js'
export { runContainerConformance, type ContainerConformanceOptions } from './conformance/container.js'
