# minewatch image: the compiled server and the files it reads at run time (schemas/, rules/, migrations/).
# QuestDB and NATS are external in a container (QDB_HTTP, QDB_PG and NATS_URL must be set, see compose.yaml):
# the image has no Java and no nats-server, so the embedded fallback of `npm start` is not available here.
#
# Build:  docker build -t minewatch .
# Behind a registry mirror (e.g. in mainland China):
#   docker build --build-arg NODE_IMAGE=<mirror>/library/node:20-bookworm-slim \
#                --build-arg NPM_CONFIG_REGISTRY=https://registry.npmmirror.com -t minewatch .
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install everything, compile TypeScript to dist/, then drop the dev dependencies ----
FROM ${NODE_IMAGE} AS build
# npm reads NPM_CONFIG_REGISTRY from the environment; the lock file's registry.npmjs.org URLs are rewritten to it.
ARG NPM_CONFIG_REGISTRY=https://registry.npmjs.org/
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# .dockerignore keeps node_modules, dist, data, tests and local state out of the context.
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies, dist/ and the data files only; runs as the unprivileged `node` user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    MINEWATCH_DATA_DIR=/app/data
WORKDIR /app
# Code and data files stay owned by root (read-only for the service); only data/ is writable.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schemas ./schemas
COPY --from=build /app/rules ./rules
COPY --from=build /app/migrations ./migrations
# data/ holds the generated tokens file when MINEWATCH_TOKENS_FILE is not set: mount a volume on it.
# `minewatch <command>` (migrate, rules check, backtest, users, evidence verify, …) runs from dist/, no tsx:
#   docker run --rm -e QDB_PG=… minewatch minewatch migrate
RUN mkdir -p /app/data && chown node:node /app/data \
 && chmod +x /app/dist/src/tools/cli/minewatch.js && ln -s /app/dist/src/tools/cli/minewatch.js /usr/local/bin/minewatch
USER node
EXPOSE 8080
# Liveness only (GET /health); readiness of QuestDB and NATS is GET /ready. No curl in the image: Node's fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
