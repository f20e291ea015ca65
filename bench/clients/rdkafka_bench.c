/*
 * librdkafka load generator for bench/broker.ts (compiled there with cc against Debian's
 * librdkafka-dev; the Python client spends more CPU than the broker at these rates).
 *
 *   rdkafka_bench produce BOOTSTRAP TOPIC COUNT SIZE RATE [WARMUP]   (RATE 0: as fast as possible)
 *   rdkafka_bench consume BOOTSTRAP TOPIC COUNT
 *
 * Prints one JSON line: produce {"seconds","count","p50_ms","p99_ms","settings"}; consume {"seconds","count","bytes"}.
 * Ack latency is measured per message from produce() to its delivery report (acks=all). WARMUP
 * messages (default 0) are produced first at the same pacing and left out of the figures, as a
 * benchmark's warm-up phase is: the first of them wait for the connection and metadata, which are
 * not the steady-state ack latency measured. With a
 * RATE, messages are produced in ticks (all those due), the thread sleeping between ticks:
 * in rd_kafka_poll (woken by delivery reports) for waits of a millisecond or more, else serving
 * delivery reports and sleeping one tick. Environment: RDKAFKA_BENCH_TICK_US (default 250),
 * RDKAFKA_BENCH_LINGER_MS (default 0.5), so other pacings can be compared.
 */
#include <librdkafka/rdkafka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return v && *v ? v : fallback;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double *latencies;
/* When each measured message was produced, by its number (the message's opaque is its number + 1;
 * a warm-up message's is NULL): no allocation per message. */
static double *sent_at;
static long delivered, warmed, failed;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk;
  (void)opaque;
  if (m->err) {
    failed++;
    return;
  }
  if (m->_private == NULL) {
    warmed++;
    return;
  }
  latencies[delivered++] = now_s() - sent_at[(long)(intptr_t)m->_private - 1];
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static rd_kafka_conf_t *conf_for(const char *bootstrap) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof err) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "%s\n", err);
    exit(1);
  }
  return conf;
}

/* The settings made, "k=v, ...", printed with the results so the bench output documents them. */
static char settings[1024];

static void set(rd_kafka_conf_t *conf, const char *k, const char *v) {
  char err[512];
  snprintf(settings + strlen(settings), sizeof settings - strlen(settings), "%s%s=%s", settings[0] ? ", " : "", k, v);
  if (rd_kafka_conf_set(conf, k, v, err, sizeof err) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "%s: %s\n", k, err);
    exit(1);
  }
}

static int produce(const char *bootstrap, const char *topic, long count, int size, double rate, long warmup) {
  char err[512];
  rd_kafka_conf_t *conf = conf_for(bootstrap);
  set(conf, "acks", "all");
  set(conf, "linger.ms", env_or("RDKAFKA_BENCH_LINGER_MS", "0.5"));
  /* librdkafka leaves Nagle's algorithm on by default; a latency-conscious producer turns it off. */
  set(conf, "socket.nagle.disable", "true");
  set(conf, "batch.size", "1000000");
  set(conf, "queue.buffering.max.messages", "500000");
  set(conf, "queue.buffering.max.kbytes", "1048576");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  latencies = calloc(count, sizeof(double));
  sent_at = calloc(count, sizeof(double));
  /* One payload for every message: librdkafka references it (no RD_KAFKA_MSG_F_COPY), and it
   * outlives them all. */
  char *payload = malloc(size);
  memset(payload, 'x', size);
  double start = now_s(), measured_from = start;
  double interval = rate > 0 ? 1.0 / rate : 0;
  long tick_us = atol(env_or("RDKAFKA_BENCH_TICK_US", "250"));
  if (interval > 0) snprintf(settings + strlen(settings), sizeof settings - strlen(settings), ", pacing tick=%ldus", tick_us);
  if (warmup > 0) snprintf(settings + strlen(settings), sizeof settings - strlen(settings), ", %ld warm-up messages not measured", warmup);
  /* The clock is read once per tick and every 64 messages, not per message: reading it
   * was a sixth of this client's CPU at 290k messages/s, CPU the broker shares on one machine. */
  double t = now_s();
  for (long i = 0; i < count + warmup; i++) {
    if (interval > 0) {
      /* Paced in ticks: every message due by now is produced, then the thread sleeps until the
       * next is due (delivery reports are served meanwhile). Spinning between messages a few
       * microseconds apart kept a core busy that the broker then waited for; sleeping in
       * rd_kafka_poll alone rounds each wait up to a whole millisecond, which adds to latency. */
      double due = start + i * interval;
      while (t < due) {
        if (due - t >= 0.001) {
          rd_kafka_poll(rk, (int)((due - t) * 1000));
        } else {
          rd_kafka_poll(rk, 0);
          struct timespec nap = {0, tick_us * 1000L};
          nanosleep(&nap, NULL);
        }
        t = now_s();
      }
    }
    /* Also every 64 messages, so a backlog after a stall is not stamped with a stale time. */
    if ((i & 63) == 0) t = now_s();
    void *opaque = NULL;
    if (i >= warmup) {
      if (i == warmup) measured_from = t;
      sent_at[i - warmup] = t;
      opaque = (void *)(intptr_t)(i - warmup + 1);
    }
    while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(payload, size), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END) ==
           RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(rk, 1);
      t = now_s();
    }
    if ((i & 63) == 0) rd_kafka_poll(rk, 0);
  }
  rd_kafka_flush(rk, 300000);
  double seconds = now_s() - measured_from;
  if (failed || delivered != count || warmed != warmup) {
    fprintf(stderr, "delivered %ld of %ld (and %ld of %ld warm-up), %ld failed\n", delivered, count, warmed, warmup, failed);
    return 1;
  }
  qsort(latencies, delivered, sizeof(double), cmp);
  printf("{\"seconds\": %f, \"count\": %ld, \"p50_ms\": %f, \"p99_ms\": %f, \"settings\": \"librdkafka %s: %s\"}\n", seconds, count,
         latencies[delivered / 2] * 1000, latencies[(long)(delivered * 0.99)] * 1000, rd_kafka_version_str(), settings);
  rd_kafka_destroy(rk);
  return 0;
}

static int consume(const char *bootstrap, const char *topic, long count) {
  char err[512], group[64];
  rd_kafka_conf_t *conf = conf_for(bootstrap);
  snprintf(group, sizeof group, "bench-%ld", (long)time(NULL));
  set(conf, "group.id", group);
  set(conf, "auto.offset.reset", "earliest");
  set(conf, "enable.auto.commit", "false");
  set(conf, "fetch.max.bytes", "52428800");
  set(conf, "max.partition.fetch.bytes", "10485760");
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!rk) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(rk, topics);
  long got = 0, bytes = 0;
  double start = 0;
  while (got < count) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 1000);
    if (!m) continue;
    if (!m->err) {
      if (got == 0) start = now_s();
      got++;
      bytes += m->len;
    }
    rd_kafka_message_destroy(m);
  }
  double seconds = now_s() - start;
  printf("{\"seconds\": %f, \"count\": %ld, \"bytes\": %ld}\n", seconds, got, bytes);
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 7 && strcmp(argv[1], "produce") == 0) return produce(argv[2], argv[3], atol(argv[4]), atoi(argv[5]), atof(argv[6]), argc >= 8 ? atol(argv[7]) : 0);
  if (argc >= 5 && strcmp(argv[1], "consume") == 0) return consume(argv[2], argv[3], atol(argv[4]));
  fprintf(stderr, "usage: rdkafka_bench produce BOOTSTRAP TOPIC COUNT SIZE RATE [WARMUP] | consume BOOTSTRAP TOPIC COUNT\n");
  return 2;
}
