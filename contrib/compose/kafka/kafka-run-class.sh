#!/bin/sh
# kafka-run-class.sh CLASS [ARG...] - run one of the broker jars' classes
# (the admin tools) on the image's Java, quietly: warnings only.
exec java ${KAFKA_TOOL_OPTS:--Xmx256m -XX:TieredStopAtLevel=1} \
	-Dlog4j2.configurationFile=/opt/kafka/tools-log4j2.properties \
	-cp '/opt/kafka/libs/*' "$@"
