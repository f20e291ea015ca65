/**
 * `runnel start`: runs the platform until SIGTERM or SIGINT, then stops accepting, flushes,
 * fsyncs and exits 0.
 */
import type { Command } from 'commander';
import { collectKeyValue, parsePort } from './options.ts';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the platform (broker, schema registry, SQL, connectors) in this process')
    .option('--data-dir <dir>', 'where logs and state are kept', './data')
    .option('--host <host>', 'address every listener binds to', '127.0.0.1')
    .option('--kafka-port <port>', 'Kafka protocol listener (0 = any free port)', parsePort, 9092)
    .option('--registry-port <port>', 'schema registry REST listener', parsePort, 8081)
    .option('--connect-port <port>', 'Kafka Connect REST listener', parsePort, 8083)
    .option('--http-port <port>', 'Runnel HTTP API, metrics and console', parsePort, 8080)
    .option('--log-level <level>', 'trace|debug|info|warn|error', 'info')
    .option('-c, --config <key=value>', "broker setting by Kafka's server.properties name, repeatable (e.g. auto.create.topics.enable=false, num.partitions=3, log.retention.ms=3600000)", collectKeyValue, {})
    .action(async (o: { dataDir: string; host: string; kafkaPort: number; registryPort: number; connectPort: number; httpPort: number; logLevel: string; config: Record<string, string> }) => {
      // Loaded here, not at the top: client commands (topic, produce, consume, ...) should not
      // pay for loading, or depend on, the whole platform.
      const { readyLine, startPlatform } = await import('../platform.ts');
      const platform = await startPlatform({ ...o, brokerConfig: o.config });
      process.stdout.write(readyLine(platform.endpoints) + '\n');
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`runnel: ${signal} received, shutting down\n`);
        platform.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`runnel: shutdown failed: ${String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
