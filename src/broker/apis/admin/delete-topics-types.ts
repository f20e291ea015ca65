/**
 * DeleteTopics (apiKey 20): the version-independent request and response, with the spec's field
 * names (DeleteTopicsRequest.json / DeleteTopicsResponse.json) in camelCase. v0-v3 name topics
 * only by name.
 */

export interface DeleteTopicsRequest {
  topicNames: string[];
  timeoutMs: number;
}

export interface DeletableTopicResult {
  name: string;
  errorCode: number;
}

export interface DeleteTopicsResponse {
  /** v1+; 0 when absent. */
  throttleTimeMs?: number;
  responses: DeletableTopicResult[];
}
