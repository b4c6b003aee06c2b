#!/bin/sh
# Creates the registry's topics as deploy/k8s/kafka-topics/topics.yaml declares them (cleanup policy, retention),
# with the local platform's 3 partitions on the single broker. Existing topics are left as they are.
set -eu
awk '/topicName:/ {topic = $2} /cleanup.policy:/ {cleanup = $2} /retention.ms:/ {print topic, cleanup, $2}' /topics.yaml |
  while read -r topic cleanup retention; do
    /opt/kafka/bin/kafka-topics.sh --bootstrap-server kafka:9092 --create --if-not-exists --topic "$topic" \
      --partitions 3 --replication-factor 1 --config cleanup.policy="$cleanup" --config retention.ms="$retention"
  done
