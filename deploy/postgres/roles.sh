#!/usr/bin/env bash
# The application's two login roles (README, "The database's roles"; docs/adr/0011):
#
# - the application role (livc_app): what the web connects as;
# - the jobs role (livc_jobs): what the Celery worker and beat connect as. It bypasses row-level
#   security and is a member of the application role, whose grants it inherits.
#
# The tables' owner is the image's POSTGRES_USER, a superuser here; `migrate` runs as it and
# gives both roles their grants. docker-compose.yml mounts this file into
# /docker-entrypoint-initdb.d of `db` and of `keys-db`, so it runs once, when the volume is
# created. It can be run again: a role that exists gets its password and attributes set again.
#
# Needs APP_POSTGRES_PASSWORD and JOBS_POSTGRES_PASSWORD. The role names follow
# LIVC_DATABASE_APP_ROLE and LIVC_DATABASE_JOBS_ROLE, as in the application's settings.
# Keep the file executable: the image sources a script that is not, into its own shell.
set -euo pipefail

app_role=${LIVC_DATABASE_APP_ROLE:-livc_app}
jobs_role=${LIVC_DATABASE_JOBS_ROLE:-livc_jobs}
: "${APP_POSTGRES_PASSWORD:?set APP_POSTGRES_PASSWORD}"
: "${JOBS_POSTGRES_PASSWORD:?set JOBS_POSTGRES_PASSWORD}"

# The passwords go in as psql variables, quoted by psql (:'name'), never pasted into the SQL.
psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
  --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
  -v app_role="$app_role" -v jobs_role="$jobs_role" \
  -v app_password="$APP_POSTGRES_PASSWORD" -v jobs_password="$JOBS_POSTGRES_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', :'app_role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \gexec
SELECT format('CREATE ROLE %I', :'jobs_role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'jobs_role') \gexec

SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L',
              :'app_role', :'app_password') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS PASSWORD %L',
              :'jobs_role', :'jobs_password') \gexec

SELECT format('GRANT %I TO %I', :'app_role', :'jobs_role')
WHERE NOT pg_has_role(:'jobs_role', :'app_role', 'MEMBER') \gexec
SQL
