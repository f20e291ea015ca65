export { Broker, consumerOffsetsTopic, type BrokerOptions } from './broker.ts';
export { TopicManager, validateTopicName, type Topic } from './topic-manager.ts';
export { brokerOptionsFromConfig } from './broker-config.ts';
