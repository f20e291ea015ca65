/**
 * Subject name strategies (`schema-serializer/.../serializers/subject/*.java`): which subject a
 * topic's keys or values are registered under.
 * - TopicName (default): `<topic>-key` / `<topic>-value`;
 * - RecordName: the record's fully qualified name (Avro record, JSON `title`, Protobuf message);
 * - TopicRecordName: `<topic>-<record name>`.
 */
import { SerializationError } from '../errors.ts';

export type SubjectNameStrategy = 'TopicName' | 'RecordName' | 'TopicRecordName';

export function subjectName(strategy: SubjectNameStrategy, topic: string, isKey: boolean, recordName: string | null): string {
  switch (strategy) {
    case 'TopicName':
      return `${topic}-${isKey ? 'key' : 'value'}`;
    case 'RecordName':
      if (recordName === null) throw new SerializationError('RecordNameStrategy needs a named record schema (Avro record, JSON Schema with a title, or a Protobuf message)');
      return recordName;
    case 'TopicRecordName':
      if (recordName === null) throw new SerializationError('TopicRecordNameStrategy needs a named record schema (Avro record, JSON Schema with a title, or a Protobuf message)');
      return `${topic}-${recordName}`;
    default: {
      const never: never = strategy;
      throw new SerializationError(`unknown subject name strategy ${String(never)}`);
    }
  }
}
