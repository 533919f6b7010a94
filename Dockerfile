# planbot: one image for the web app (`planbot serve`) and the workers (`planbot worker`).
FROM python:3.12-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY workers ./workers
COPY templates ./templates
RUN python -m venv /opt/planbot && /opt/planbot/bin/pip install --no-compile .

FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 planbot
COPY --from=build /opt/planbot /opt/planbot
ENV PATH=/opt/planbot/bin:$PATH PYTHONUNBUFFERED=1
USER planbot
WORKDIR /home/planbot
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=2).status == 200 else 1)"
CMD ["planbot", "serve", "--host", "0.0.0.0", "--port", "3000"]
