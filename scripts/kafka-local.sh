#!/usr/bin/env bash
# Single-node Apache Kafka broker (KRaft, broker+controller in one JVM) for
# local development and tests, without Docker: the broker jars come from
# Maven Central through scripts/kafka-local/pom.xml and are cached under
# .kafka-local/ (git-ignored) together with the data, config and log.
#
# Usage: scripts/kafka-local.sh start|stop|restart|status|reset|logs|tool ...
#
#   start    download the jars if missing, format the KRaft log dir if new,
#            start the broker on loopback and wait until it answers
#            (a no-op when it is already running)
#   stop     stop the broker (a no-op when it is not running)
#   status   exit 0 when running (prints the bootstrap address), 3 when not
#   reset    stop, then delete the data of the current mode (jars are kept)
#   logs     print the end of the broker log (-f to follow)
#   tool     run a Kafka command-line tool with the cached jars, e.g.
#              scripts/kafka-local.sh tool topics --bootstrap-server 127.0.0.1:9092 --list
#            aliases: api-versions topics acls configs console-producer
#            console-consumer storage; or a fully qualified main class.
#            In secure mode add --command-config .kafka-local/admin-client.properties
#
# Environment:
#   KAFKA_LOCAL_PORT             broker port on 127.0.0.1 (default 9092)
#   KAFKA_LOCAL_CONTROLLER_PORT  KRaft controller port (default KAFKA_LOCAL_PORT+1)
#   KAFKA_LOCAL_VERSION          Apache Kafka version (default below)
#   KAFKA_LOCAL_DIR              state folder (default <repo>/.kafka-local)
#   KAFKA_LOCAL_JARS_DIR         where the jars are cached, one folder per version
#                                (default KAFKA_LOCAL_DIR/jars); brokers of their
#                                own (tests) share the repo's cache through it
#   KAFKA_LOCAL_WAIT             seconds to wait for the broker (default 60)
#   KAFKA_LOCAL_HEAP_OPTS        JVM heap options (default -Xms256m -Xmx1g)
#   KAFKA_LOCAL_SECURE=1         SASL_PLAINTEXT listener with SCRAM-SHA-512,
#                                StandardAuthorizer (deny unless an ACL allows),
#                                super user "admin". Plain and secure mode keep
#                                separate data folders.
#   KAFKA_LOCAL_TLS=1            secure mode over TLS: a SASL_SSL listener. A CA and
#                                a broker certificate for 127.0.0.1 and localhost
#                                are made once (openssl, keytool) in <dir>/tls/;
#                                clients trust <dir>/tls/ca.pem. Own data folder.
#   KAFKA_LOCAL_ADMIN_PASSWORD   SCRAM password of "admin" (default admin-secret)
#   KAFKA_LOCAL_SCRAM_USERS      more SCRAM-SHA-512 users created when the secure
#                                data folder is formatted: "name:password,..."
#                                (later users: tool configs ... --add-config
#                                'SCRAM-SHA-512=[password=...]', or reset)
#
# Names and passwords are limited to [A-Za-z0-9._-] so that they can be put
# into the storage tool's --add-scram argument and JAAS strings unquoted.
set -euo pipefail

DEFAULT_KAFKA_VERSION=4.4.0

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
POM="$SCRIPT_DIR/kafka-local/pom.xml"

KAFKA_VERSION=${KAFKA_LOCAL_VERSION:-$DEFAULT_KAFKA_VERSION}
HOST=127.0.0.1
PORT=${KAFKA_LOCAL_PORT:-9092}
if [[ $PORT =~ ^[0-9]+$ ]]; then
  CONTROLLER_PORT=${KAFKA_LOCAL_CONTROLLER_PORT:-$((PORT + 1))}
else
  CONTROLLER_PORT=${KAFKA_LOCAL_CONTROLLER_PORT:-}
fi
BASE_DIR=${KAFKA_LOCAL_DIR:-$ROOT_DIR/.kafka-local}
WAIT_SECONDS=${KAFKA_LOCAL_WAIT:-60}
HEAP_OPTS=${KAFKA_LOCAL_HEAP_OPTS:--Xms256m -Xmx1g}
ADMIN_USER="admin"
ADMIN_PASSWORD=${KAFKA_LOCAL_ADMIN_PASSWORD:-admin-secret}
EXTRA_SCRAM_USERS=${KAFKA_LOCAL_SCRAM_USERS:-}
# The controller listener of the secure mode uses SASL/PLAIN (SCRAM
# credentials live in the metadata log, which the controller itself serves).
CONTROLLER_USER="controller"
CONTROLLER_PASSWORD="controller-secret"

case "${KAFKA_LOCAL_SECURE:-0}" in
  1 | true | yes) MODE=secure ;;
  0 | false | no | '') MODE=plain ;;
  *) echo "kafka-local: KAFKA_LOCAL_SECURE must be 0 or 1" >&2; exit 2 ;;
esac
# TLS carries the secure mode's SASL/SCRAM and ACLs: credentials never cross in the clear.
case "${KAFKA_LOCAL_TLS:-0}" in
  1 | true | yes) MODE=tls ;;
  0 | false | no | '') ;;
  *) echo "kafka-local: KAFKA_LOCAL_TLS must be 0 or 1" >&2; exit 2 ;;
esac

JARS_DIR="${KAFKA_LOCAL_JARS_DIR:-$BASE_DIR/jars}/$KAFKA_VERSION"
CONF_DIR="$BASE_DIR/conf"
DATA_DIR="$BASE_DIR/data/$MODE"
LOG_DIR="$BASE_DIR/logs"
LOG_FILE="$LOG_DIR/kafka.log"
PID_FILE="$BASE_DIR/kafka.pid"
RUN_INFO="$BASE_DIR/kafka.running" # mode/version/port of the running broker
SERVER_PROPS="$CONF_DIR/server-$MODE.properties"
ADMIN_CLIENT_PROPS="$BASE_DIR/admin-client.properties"
TLS_DIR="$BASE_DIR/tls"
CA_FILE="$TLS_DIR/ca.pem"
BROKER_KEYSTORE="$TLS_DIR/broker.p12"
TRUSTSTORE="$TLS_DIR/truststore.p12"
# The stores' password guards nothing the folder's permissions (0700) do not: the key files
# beside them are unencrypted. Java's PKCS12 stores need one all the same.
STORE_PASSWORD="kafka-local"
BOOTSTRAP="$HOST:$PORT"

# Kafka 3.x logs through reload4j (its own slf4j binding), 4.x through Log4j 2.
if [[ $KAFKA_VERSION == 3.* ]]; then LOGGING=reload4j; else LOGGING=log4j2; fi

log() { printf 'kafka-local: %s\n' "$*"; }

die() { printf 'kafka-local: error: %s\n' "$*" >&2; exit 1; }

make_base_dir() {
  mkdir -p "$BASE_DIR" "$LOG_DIR"
  # self-ignoring, like a virtualenv: jars and data never end up in a commit,
  # even before .gitignore lists the folder
  [[ -f $BASE_DIR/.gitignore ]] || printf '# created by scripts/kafka-local.sh\n*\n' >"$BASE_DIR/.gitignore"
}

check_name() { # a SCRAM user name or password
  [[ $1 =~ ^[A-Za-z0-9._-]+$ ]] || die "$2 '$1' may only contain A-Z a-z 0-9 . _ -"
}

check_port_number() {
  if ! [[ $1 =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > 65535)); then
    die "$2 must be a port number, not '$1'"
  fi
}

java_bin() {
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
    echo "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    die "java not found (Kafka $KAFKA_VERSION needs Java 17+; set JAVA_HOME or PATH)"
  fi
}

check_java() {
  local java version major
  java=$(java_bin)
  version=$("$java" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  major=${version%%.*}
  [[ $major == 1 ]] && major=$(echo "$version" | cut -d. -f2)
  [[ $major =~ ^[0-9]+$ ]] || die "cannot read the Java version from '$java -version'"
  if ((major < 17)); then
    die "Java $version found; the Kafka broker needs Java 17 or newer (set JAVA_HOME)"
  fi
}

# --- jars -------------------------------------------------------------------

ensure_jars() {
  if [[ -f $JARS_DIR/.complete ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found: it is needed once to fetch the Kafka $KAFKA_VERSION jars"
  [[ -f $POM ]] || die "missing $POM"
  local tmp="$JARS_DIR.tmp.$$" mvn_log="$BASE_DIR/mvn-$KAFKA_VERSION.log" started=$SECONDS
  mkdir -p "$(dirname "$JARS_DIR")"
  rm -rf "$tmp"
  log "fetching Apache Kafka $KAFKA_VERSION jars with Maven (once; cached in ${JARS_DIR#"$ROOT_DIR"/})"
  if ! mvn -B -q -Dstyle.color=never -f "$POM" \
    -Dkafka.version="$KAFKA_VERSION" -Dkafka.logging="$LOGGING" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
    >"$mvn_log" 2>&1; then
    rm -rf "$tmp"
    tail -n 30 "$mvn_log" >&2 || true
    die "Maven could not fetch Kafka $KAFKA_VERSION (full output: $mvn_log)"
  fi
  [[ -f $tmp/kafka_2.13-$KAFKA_VERSION.jar ]] || die "Maven finished but kafka_2.13-$KAFKA_VERSION.jar is missing in $tmp"
  echo "$KAFKA_VERSION" >"$tmp/.complete"
  # A shared cache (KAFKA_LOCAL_JARS_DIR) may have been filled meanwhile by another start,
  # whose broker may already run from it: keep that one and drop ours.
  if [[ -f $JARS_DIR/.complete ]]; then
    rm -rf "$tmp"
  else
    rm -rf "$JARS_DIR"
    mv "$tmp" "$JARS_DIR"
  fi
  rm -f "$mvn_log"
  log "jars ready ($(find "$JARS_DIR" -name '*.jar' | wc -l | tr -d ' ') jars, $((SECONDS - started)) s)"
}

# --- config -------------------------------------------------------------------

write_logging_config() {
  mkdir -p "$CONF_DIR"
  # broker: INFO to stdout (redirected to the log file); tools: WARN to stderr
  if [[ $LOGGING == log4j2 ]]; then
    cat >"$CONF_DIR/log4j2-broker.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.state.name = state.change.logger
logger.state.level = WARN
EOF
    cat >"$CONF_DIR/log4j2-tools.properties" <<'EOF'
status = warn
appender.err.type = Console
appender.err.name = ERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = ERR
EOF
  else
    cat >"$CONF_DIR/log4j-broker.properties" <<'EOF'
log4j.rootLogger=INFO, out
log4j.appender.out=org.apache.log4j.ConsoleAppender
log4j.appender.out.layout=org.apache.log4j.PatternLayout
log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.state.change.logger=WARN
EOF
    cat >"$CONF_DIR/log4j-tools.properties" <<'EOF'
log4j.rootLogger=WARN, err
log4j.appender.err=org.apache.log4j.ConsoleAppender
log4j.appender.err.Target=System.err
log4j.appender.err.layout=org.apache.log4j.PatternLayout
log4j.appender.err.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  fi
}

logging_opt() { # $1 = broker|tools
  if [[ $LOGGING == log4j2 ]]; then
    echo "-Dlog4j2.configurationFile=$CONF_DIR/log4j2-$1.properties"
  else
    echo "-Dlog4j.configuration=file:$CONF_DIR/log4j-$1.properties"
  fi
}

write_server_properties() {
  mkdir -p "$CONF_DIR" "$DATA_DIR"
  {
    cat <<EOF
# Generated by scripts/kafka-local.sh on every start ($MODE mode); edits are lost.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
controller.listener.names=CONTROLLER
log.dirs=$DATA_DIR
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=168
EOF
    if [[ $MODE == plain ]]; then
      cat <<EOF
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
EOF
    else
      local listener=SASL_PLAINTEXT
      [[ $MODE == tls ]] && listener=SASL_SSL
      local name=${listener,,}
      cat <<EOF
listeners=$listener://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=$listener://$HOST:$PORT
listener.security.protocol.map=$listener:$listener,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=$listener
# clients and the broker itself: SCRAM-SHA-512 (credentials in the metadata log)
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.$name.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.$name.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$ADMIN_USER" password="$ADMIN_PASSWORD";
# broker -> controller: SASL/PLAIN with a fixed local user
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$CONTROLLER_USER" password="$CONTROLLER_PASSWORD" user_$CONTROLLER_USER="$CONTROLLER_PASSWORD";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:$ADMIN_USER;User:$CONTROLLER_USER
EOF
    fi
    if [[ $MODE == tls ]]; then
      # The broker's certificate, and the CA its own client side trusts: inter-broker
      # traffic goes through the SASL_SSL listener and checks the name as any client does.
      cat <<EOF
ssl.keystore.type=PKCS12
ssl.keystore.location=$BROKER_KEYSTORE
ssl.keystore.password=$STORE_PASSWORD
ssl.key.password=$STORE_PASSWORD
ssl.truststore.type=PKCS12
ssl.truststore.location=$TRUSTSTORE
ssl.truststore.password=$STORE_PASSWORD
ssl.endpoint.identification.algorithm=https
ssl.client.auth=none
EOF
    fi
  } >"$SERVER_PROPS"
}

write_admin_client_properties() {
  if [[ $MODE == secure ]]; then
    cat >"$ADMIN_CLIENT_PROPS" <<EOF
# Client settings for the local broker's super user (secure mode)
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$ADMIN_USER" password="$ADMIN_PASSWORD";
EOF
  elif [[ $MODE == tls ]]; then
    cat >"$ADMIN_CLIENT_PROPS" <<EOF
# Client settings for the local broker's super user (secure mode over TLS)
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$ADMIN_USER" password="$ADMIN_PASSWORD";
ssl.truststore.type=PKCS12
ssl.truststore.location=$TRUSTSTORE
ssl.truststore.password=$STORE_PASSWORD
EOF
  else
    printf '# plain mode: no client settings needed\nsecurity.protocol=PLAINTEXT\n' >"$ADMIN_CLIENT_PROPS"
  fi
}

# --- TLS ------------------------------------------------------------------------

keytool_bin() {
  local java
  java=$(java_bin)
  if [[ -x $(dirname "$java")/keytool ]]; then
    echo "$(dirname "$java")/keytool"
  elif command -v keytool >/dev/null 2>&1; then
    command -v keytool
  else
    die "keytool not found (it comes with the JDK): needed for KAFKA_LOCAL_TLS=1"
  fi
}

# Makes, once per state folder, a CA of its own and a broker certificate it signs for
# 127.0.0.1 and localhost (the names clients check). The CA stays, so clients keep trusting
# ca.pem across restarts; the broker certificate is made again when it is about to expire.
ensure_tls_material() {
  command -v openssl >/dev/null 2>&1 || die "openssl not found: needed for KAFKA_LOCAL_TLS=1"
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  local made_ca=no
  if [[ ! -f $CA_FILE || ! -f $TLS_DIR/ca.key ]]; then
    rm -f "$TLS_DIR"/*
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout "$TLS_DIR/ca.key" -out "$CA_FILE" -days 3650 \
      -subj "/O=Samverkan kafka-local/CN=kafka-local CA $(date -u +%Y%m%dT%H%M%SZ)" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      >"$LOG_DIR/tls.log" 2>&1 || die "openssl could not make the CA (see $LOG_DIR/tls.log)"
    made_ca=yes
  fi
  if [[ $made_ca == yes || ! -f $BROKER_KEYSTORE || ! -f $TRUSTSTORE ]] ||
    ! openssl x509 -checkend 86400 -noout -in "$TLS_DIR/broker.pem" >/dev/null 2>&1; then
    {
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$TLS_DIR/broker.key" -out "$TLS_DIR/broker.csr" \
        -subj "/O=Samverkan kafka-local/CN=localhost" &&
        printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' \
          'extendedKeyUsage=serverAuth,clientAuth' 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
          >"$TLS_DIR/broker.ext" &&
        openssl x509 -req -in "$TLS_DIR/broker.csr" -CA "$CA_FILE" -CAkey "$TLS_DIR/ca.key" \
          -set_serial "0x$(openssl rand -hex 16)" -days 825 -extfile "$TLS_DIR/broker.ext" \
          -out "$TLS_DIR/broker.pem" &&
        rm -f "$BROKER_KEYSTORE" "$TRUSTSTORE" &&
        openssl pkcs12 -export -name broker -in "$TLS_DIR/broker.pem" \
          -inkey "$TLS_DIR/broker.key" -certfile "$CA_FILE" -out "$BROKER_KEYSTORE" \
          -passout "pass:$STORE_PASSWORD" &&
        "$(keytool_bin)" -importcert -noprompt -alias kafka-local-ca -file "$CA_FILE" \
          -keystore "$TRUSTSTORE" -storetype PKCS12 -storepass "$STORE_PASSWORD"
    } >"$LOG_DIR/tls.log" 2>&1 || die "could not make the broker's certificate and stores (see $LOG_DIR/tls.log)"
    local what="a broker certificate"
    [[ $made_ca == yes ]] && what="a CA and a broker certificate"
    log "TLS: made $what for $HOST and localhost in ${TLS_DIR#"$ROOT_DIR"/}"
  fi
}

# --- java helpers ---------------------------------------------------------------

TOOL_JVM_OPTS=(-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true)

run_class() { # main class + args, with the tools' logging (WARN to stderr)
  "$(java_bin)" "${TOOL_JVM_OPTS[@]}" "$(logging_opt tools)" -cp "$JARS_DIR/*" "$@"
}

jar_entries() { # list the entries of a jar with whatever is installed
  if command -v unzip >/dev/null 2>&1; then
    unzip -Z1 "$1"
  elif [[ -x $(dirname "$(java_bin)")/jar ]]; then
    "$(dirname "$(java_bin)")/jar" tf "$1"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
  else
    die "need unzip, the JDK's jar or python3 to look into the Kafka jars"
  fi
}

class_index() { # the Kafka classes in the cached jars, one per line (cached)
  local index="$JARS_DIR/.classes" jar
  if [[ ! -s $index ]]; then
    for jar in "$JARS_DIR"/kafka*.jar; do
      jar_entries "$jar"
    done | sed -n 's/\.class$//p' | grep -v '\$' | tr / . >"$index.tmp.$$"
    mv "$index.tmp.$$" "$index"
  fi
  cat "$index"
}

tool_class() { # alias -> main class; the classes moved between Kafka versions
  local -a candidates
  case "$1" in
    api-versions) candidates=(org.apache.kafka.tools.BrokerApiVersionsCommand kafka.admin.BrokerApiVersionsCommand) ;;
    topics) candidates=(org.apache.kafka.tools.TopicCommand kafka.admin.TopicCommand) ;;
    acls) candidates=(org.apache.kafka.tools.AclCommand kafka.admin.AclCommand) ;;
    configs) candidates=(org.apache.kafka.tools.ConfigCommand kafka.admin.ConfigCommand) ;;
    console-producer) candidates=(org.apache.kafka.tools.ConsoleProducer kafka.tools.ConsoleProducer) ;;
    console-consumer) candidates=(org.apache.kafka.tools.consumer.ConsoleConsumer kafka.tools.ConsoleConsumer) ;;
    storage) candidates=(org.apache.kafka.tools.StorageTool kafka.tools.StorageTool) ;;
    *.*) echo "$1"; return 0 ;;
    *) die "unknown tool '$1' (api-versions topics acls configs console-producer console-consumer storage, or a main class)" ;;
  esac
  local index class
  index=$(class_index)
  for class in "${candidates[@]}"; do
    if grep -qxF "$class" <<<"$index"; then
      echo "$class"
      return 0
    fi
  done
  die "no class for '$1' in the Kafka $KAFKA_VERSION jars (tried ${candidates[*]})"
}

format_if_needed() {
  if [[ -f $DATA_DIR/meta.properties ]]; then
    local formatted_with
    formatted_with=$(cat "$DATA_DIR/.kafka-version" 2>/dev/null || echo unknown)
    if [[ $formatted_with != "$KAFKA_VERSION" ]]; then
      log "note: ${DATA_DIR#"$ROOT_DIR"/} was formatted by Kafka $formatted_with, now starting $KAFKA_VERSION (run 'reset' if it fails)"
    fi
    return 0
  fi
  local cluster_id storage_tool args=()
  storage_tool=$(tool_class storage)
  cluster_id=$(run_class "$storage_tool" random-uuid | tail -n 1)
  [[ -n $cluster_id ]] || die "could not generate a cluster id"
  args=(format -t "$cluster_id" -c "$SERVER_PROPS")
  if [[ $MODE != plain ]]; then
    args+=(--add-scram "SCRAM-SHA-512=[name=$ADMIN_USER,password=$ADMIN_PASSWORD]")
    local entry user pass
    local -a entries=()
    [[ -n $EXTRA_SCRAM_USERS ]] && IFS=',' read -r -a entries <<<"$EXTRA_SCRAM_USERS"
    for entry in "${entries[@]}"; do
      [[ -z $entry ]] && continue
      [[ $entry == *:* ]] || die "KAFKA_LOCAL_SCRAM_USERS entry '$entry' is not name:password"
      user=${entry%%:*}
      pass=${entry#*:}
      check_name "$user" "user name"
      check_name "$pass" "password of $user"
      args+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$pass]")
    done
  fi
  log "formatting ${DATA_DIR#"$ROOT_DIR"/} (KRaft, cluster id $cluster_id, $MODE mode)"
  if ! run_class "$storage_tool" "${args[@]}" >"$LOG_DIR/format.log" 2>&1; then
    cat "$LOG_DIR/format.log" >&2
    rm -f "$DATA_DIR/meta.properties"
    die "formatting the KRaft log directory failed"
  fi
  echo "$KAFKA_VERSION" >"$DATA_DIR/.kafka-version"
}

# --- process ----------------------------------------------------------------

read_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid=$(<"$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  echo "$pid"
}

pid_is_kafka() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka'
  else
    ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka'
  fi
}

running_pid() { # prints the pid of our broker, fails when it does not run
  local pid
  pid=$(read_pid) || return 1
  pid_is_kafka "$pid" || return 1
  echo "$pid"
}

port_open() { # $1 = port on $HOST
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

broker_answers() { # one ApiVersions round trip through the broker's listener
  local out
  out=$(timeout 30 "$(java_bin)" "${TOOL_JVM_OPTS[@]}" "$(logging_opt tools)" -cp "$JARS_DIR/*" \
    "$API_VERSIONS_CLASS" --bootstrap-server "$BOOTSTRAP" \
    --command-config "$ADMIN_CLIENT_PROPS" 2>/dev/null) || return 1
  grep -q 'ApiVersions' <<<"$out"
}

print_connection() { # $1 = run info "mode=... version=... port=..."
  local info="$1" port bootstrap
  port=$(sed -n 's/.*port=\([0-9][0-9]*\).*/\1/p' <<<"$info")
  bootstrap="$HOST:${port:-$PORT}"
  if [[ $info == *mode=secure* ]]; then
    echo "kafka-local: bootstrap $bootstrap (SASL_PLAINTEXT, SCRAM-SHA-512; super user $ADMIN_USER; admin client settings: ${ADMIN_CLIENT_PROPS#"$ROOT_DIR"/})"
  elif [[ $info == *mode=tls* ]]; then
    echo "kafka-local: bootstrap $bootstrap (SASL_SSL, SCRAM-SHA-512; super user $ADMIN_USER; admin client settings: ${ADMIN_CLIENT_PROPS#"$ROOT_DIR"/})"
    echo "kafka-local: CA certificate for clients (KAFKA_SSL_CA_FILE): $CA_FILE"
  else
    echo "kafka-local: bootstrap $bootstrap (PLAINTEXT)"
  fi
}

cmd_status() {
  local pid info
  if pid=$(running_pid); then
    info=$(cat "$RUN_INFO" 2>/dev/null || echo "unknown")
    log "running (pid $pid, $info)"
    print_connection "$info"
    return 0
  fi
  log "not running"
  return 3
}

cmd_start() {
  check_port_number "$PORT" KAFKA_LOCAL_PORT
  check_port_number "$CONTROLLER_PORT" KAFKA_LOCAL_CONTROLLER_PORT
  [[ $WAIT_SECONDS =~ ^[0-9]+$ ]] || die "KAFKA_LOCAL_WAIT must be a number of seconds"
  [[ $PORT != "$CONTROLLER_PORT" ]] || die "KAFKA_LOCAL_PORT and KAFKA_LOCAL_CONTROLLER_PORT must differ"
  check_name "$ADMIN_PASSWORD" "KAFKA_LOCAL_ADMIN_PASSWORD"

  local pid info want="mode=$MODE version=$KAFKA_VERSION port=$PORT"
  if pid=$(running_pid); then
    info=$(cat "$RUN_INFO" 2>/dev/null || echo "unknown")
    if [[ $info != "$want" ]]; then
      die "a broker is already running (pid $pid, $info); run '$0 stop' first to start one with $want"
    fi
    log "already running (pid $pid, $info)"
    print_connection "$info"
    return 0
  fi
  rm -f "$PID_FILE" "$RUN_INFO"

  local port
  for port in "$PORT" "$CONTROLLER_PORT"; do
    if port_open "$port"; then
      die "$HOST:$port is already in use by another process (not started by this script); choose another KAFKA_LOCAL_PORT / KAFKA_LOCAL_CONTROLLER_PORT"
    fi
  done

  check_java
  local started=$SECONDS
  make_base_dir
  ensure_jars
  write_logging_config
  [[ $MODE == tls ]] && ensure_tls_material
  write_server_properties
  write_admin_client_properties
  format_if_needed
  API_VERSIONS_CLASS=$(tool_class api-versions)

  [[ -f $LOG_FILE ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  local java
  java=$(java_bin)
  local -a jvm=()
  read -r -a jvm <<<"$HEAP_OPTS"
  jvm+=(-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true "$(logging_opt broker)")
  echo "[$(date '+%Y-%m-%d %H:%M:%S')] kafka-local: starting Kafka $KAFKA_VERSION ($MODE) on $BOOTSTRAP" >"$LOG_FILE"
  # setsid: the broker gets its own session, so it outlives the calling shell
  # and a Ctrl-C there; nohup is the fallback where setsid is missing.
  local launcher=nohup
  command -v setsid >/dev/null 2>&1 && launcher=setsid
  "$launcher" "$java" "${jvm[@]}" -cp "$JARS_DIR/*" kafka.Kafka "$SERVER_PROPS" \
    >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  echo "$want" >"$RUN_INFO"
  log "started Kafka $KAFKA_VERSION ($MODE mode, pid $pid, log ${LOG_FILE#"$ROOT_DIR"/}); waiting up to ${WAIT_SECONDS}s for $BOOTSTRAP"

  local deadline=$((SECONDS + WAIT_SECONDS))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE" "$RUN_INFO"
      tail -n 40 "$LOG_FILE" >&2 || true
      die "the broker exited during startup (log: $LOG_FILE)"
    fi
    if port_open "$PORT" && broker_answers; then
      break
    fi
    if ((SECONDS >= deadline)); then
      tail -n 40 "$LOG_FILE" >&2 || true
      die "the broker did not answer on $BOOTSTRAP within ${WAIT_SECONDS}s (still running as pid $pid; log: $LOG_FILE)"
    fi
    sleep 1
  done
  log "Kafka $KAFKA_VERSION is up after $((SECONDS - started)) s"
  print_connection "$want"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE" "$RUN_INFO"
    log "not running"
    return 0
  fi
  log "stopping the broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "no clean shutdown after 30 s; killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$PID_FILE" "$RUN_INFO"
  log "stopped"
}

cmd_reset() {
  cmd_stop
  log "deleting ${DATA_DIR#"$ROOT_DIR"/}"
  rm -rf "$DATA_DIR"
}

cmd_logs() {
  [[ -f $LOG_FILE ]] || die "no log yet ($LOG_FILE)"
  if [[ ${1:-} == -f ]]; then
    exec tail -n 50 -f "$LOG_FILE"
  fi
  tail -n 100 "$LOG_FILE"
}

cmd_tool() {
  (($# > 0)) || die "usage: $0 tool <api-versions|topics|acls|configs|console-producer|console-consumer|storage|main.Class> [args...]"
  check_java
  make_base_dir
  ensure_jars
  write_logging_config
  local class
  class=$(tool_class "$1")
  shift
  run_class "$class" "$@"
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop && cmd_start ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  logs) shift; cmd_logs "$@" ;;
  tool) shift; cmd_tool "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
