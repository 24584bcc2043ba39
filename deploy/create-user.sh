#!/usr/bin/env bash
# Creates a sync user in the CouchDB of compose.yaml and prints the name of their database,
# which CouchDB makes by itself (couch_peruser): userdb-<the name in hex>.
#
#   ./create-user.sh NAME
#
# The admin (COUCHDB_USER, COUCHDB_PASSWORD) and the site (KUBECARDS_SITE) come from .env
# beside this script; variables of the same names in the environment win. The new user's
# password is asked for, or taken from KUBECARDS_USER_PASSWORD. Passwords never go on a
# command line, where other users of this machine could read them (ps).
# The server address is https://<KUBECARDS_SITE>/db (KUBECARDS_SITE may carry its own scheme,
# as in http://localhost); COUCHDB_URL overrides it.
set -euo pipefail

fail() {
  printf '%s\n' "$*" >&2
  exit 1
}

[[ $# -eq 1 ]] || fail "Usage: $0 NAME   (creates the sync user NAME; see the top of this script)"
name=$1
# Letters and digits first, then also . _ @ -: these stay as they are in a URL path (CouchDB
# would read a + there as a space).
[[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._@-]*$ ]] || fail "A user name has letters, digits and . _ @ -, and starts with a letter or digit: \"$name\" does not."

# A KEY=VALUE of .env (the last, as for compose), without running the file as shell code;
# quotes around the value are dropped.
env_file_value() {
  local key=$1 file line value=
  file="$(dirname "$0")/.env"
  [[ -f $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == "$key="* ]]; then value=${line#"$key="}; fi
  done <"$file"
  if [[ $value =~ ^\'(.*)\'$ || $value =~ ^\"(.*)\"$ ]]; then value=${BASH_REMATCH[1]}; fi
  printf '%s' "$value"
}

admin_user=${COUCHDB_USER:-$(env_file_value COUCHDB_USER)}
admin_password=${COUCHDB_PASSWORD:-$(env_file_value COUCHDB_PASSWORD)}
site=${KUBECARDS_SITE:-$(env_file_value KUBECARDS_SITE)}
[[ -n $admin_user && -n $admin_password ]] || fail "No admin: set COUCHDB_USER and COUCHDB_PASSWORD in $(dirname "$0")/.env (copy .env.example)."
if [[ -n ${COUCHDB_URL:-} ]]; then
  server=${COUCHDB_URL%/}
elif [[ -n $site ]]; then
  [[ $site == *://* ]] || site="https://$site"
  server="${site%/}/db"
else
  fail "No server: set KUBECARDS_SITE in $(dirname "$0")/.env, or COUCHDB_URL."
fi

password=${KUBECARDS_USER_PASSWORD:-}
if [[ -z $password ]]; then
  [[ -t 0 ]] || fail "No password: run this in a terminal, or set KUBECARDS_USER_PASSWORD."
  read -rsp "Password for $name: " password && echo >&2
  read -rsp "The same again: " again && echo >&2
  [[ $password == "$again" ]] || fail "The two passwords differ."
fi
[[ -n $password ]] || fail "The password is empty."
[[ $password != *[[:cntrl:]]* ]] || fail "The password has a control character (a tab, say); choose another."

# A double-quoted string for JSON and for curl's config alike: both escape \ and " the same way.
quoted() {
  local text=${1//\\/\\\\}
  printf '"%s"' "${text//\"/\\\"}"
}

# curl as USER:PASSWORD ($1), the rest its arguments; the credentials reach it through a pipe
# (--config), not its command line. Prints the HTTP status; the body goes to $response.
response=$(mktemp)
trap 'rm -f "$response"' EXIT
curl_as() {
  local credentials=$1
  shift
  curl --silent --show-error --output "$response" --write-out '%{http_code}' \
    --config <(printf 'user = %s\n' "$(quoted "$credentials")") "$@"
}

status=$(printf '{"name":%s,"password":%s,"roles":[],"type":"user"}' "$(quoted "$name")" "$(quoted "$password")" |
  curl_as "$admin_user:$admin_password" --request PUT --header 'Content-Type: application/json' \
    --data-binary @- "$server/_users/org.couchdb.user:$name") || fail "Could not reach CouchDB at $server."
case $status in
  201 | 202) ;;
  401 | 403) fail "CouchDB at $server refused the admin $admin_user (HTTP $status): check COUCHDB_USER and COUCHDB_PASSWORD." ;;
  409) fail "The user $name exists already." ;;
  *) fail "CouchDB at $server answered HTTP $status: $(cat "$response")" ;;
esac

database="userdb-$(printf '%s' "$name" | od -An -v -tx1 | tr -d ' \n')"
# CouchDB makes the database a moment after the user; waiting for it, as the new user, also
# proves that their name and password work.
ready=false
for _ in $(seq 30); do
  if [[ $(curl_as "$name:$password" "$server/$database") == 200 ]]; then
    ready=true
    break
  fi
  sleep 1
done
$ready || fail "Created the user $name, but their database $database is not there after 30 s: is couch_peruser enabled (local.ini)?"

printf 'Created %s. In the app, Settings > Sync: server address %s, user %s, your password, database:\n' "$name" "$server" "$name" >&2
printf '%s\n' "$database"
