export { createTestClient, type TestClient, type TestRequestOptions } from './test-client.js'
