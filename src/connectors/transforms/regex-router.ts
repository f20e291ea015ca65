/**
 * Kafka's `org.apache.kafka.connect.transforms.RegexRouter`: when the whole topic name matches
 * `regex`, the topic becomes `replacement` with `$1`-style group references.
 */
import type { ConnectorConfig, ConnectRecord, Transformation } from '../api.ts';
import { ConfigDef, parseOrThrow } from '../config-def.ts';

export const regexRouterConfig = new ConfigDef()
  .define({ name: 'regex', type: 'string', importance: 'high', doc: 'Regular expression to use for matching.' })
  .define({ name: 'replacement', type: 'string', importance: 'high', doc: 'Replacement string.' });

export class RegexRouter implements Transformation {
  private regex = /^$/;
  private replacement = '';
  configure(config: ConnectorConfig): void {
    const values = parseOrThrow(regexRouterConfig, config, 'RegexRouter');
    // Java's Matcher.matches() is anchored at both ends.
    this.regex = new RegExp(`^(?:${values.getString('regex')})$`);
    this.replacement = values.getString('replacement');
  }
  apply<R extends ConnectRecord>(record: R): R | null {
    if (!this.regex.test(record.topic)) return record;
    return { ...record, topic: record.topic.replace(this.regex, this.replacement) };
  }
}
