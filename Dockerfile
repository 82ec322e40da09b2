# Production image: gunicorn serving Django; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries and fonts; nothing else from the system is needed at run time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install .
COPY . .

# Static files are collected into the image; WhiteNoise serves them, nothing lives on the host.
RUN DJANGO_SETTINGS_MODULE=livc.settings.prod \
    SECRET_KEY=build-only-collectstatic-0123456789-abcdefghijklmnopqrstuvwxyz \
    LIVC_ENCRYPTION_KEYS=1:YnVpbGQtb25seS1jb2xsZWN0c3RhdGljLWtleS0zMiE= \
    LIVC_IDENTITY_HASH_KEY=build-only-collectstatic-identity-hash-key-0123 \
    LIVC_BASE_URL=https://build.invalid \
    python manage.py collectstatic --no-input

RUN useradd --system --uid 10001 livc && chown -R livc /app
USER livc
ENV DJANGO_SETTINGS_MODULE=livc.settings.prod
EXPOSE 8000
# Liveness only (the process answers): the same image runs the worker and beat, which
# docker-compose.yml gives checks of their own; `web` there checks readiness.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/app/scripts/probe.py", "/health/live/"]
# A request that runs past --timeout has its worker killed and restarted; on SIGTERM, requests in
# flight get --graceful-timeout to finish (give the container as long to stop).
CMD ["gunicorn", "livc.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "30", "--graceful-timeout", "30", "--access-logfile", "-"]
