# syntax=docker/dockerfile:1
# One image for both processes: the API (default CMD) and the Temporal worker
# (`node dist/apps/worker/main.js`, see docker-compose.yml). Node 24, the active LTS line; runs as the
# unprivileged `node` user.

# ---- build: compile TypeScript and prebuild the workflow bundle ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
# The postinstall hook honours this and skips downloading Temporal binaries
# (dev server / test server), which a production image never runs.
ENV TMINUS_SKIP_TEMPORAL_BINARIES=1
COPY package.json package-lock.json ./
COPY scripts/temporal-binaries.js scripts/
RUN npm install --no-audit --no-fund
COPY apps ./apps
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
COPY scripts ./scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
RUN npm run build \
 && node dist/scripts/build-workflow-bundle.js dist/workflow-bundle.js

# ---- runtime: production dependencies and dist/ only ----
FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV TMINUS_SKIP_TEMPORAL_BINARIES=1
COPY package.json package-lock.json ./
COPY scripts/temporal-binaries.js scripts/
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The congress templates are YAML read at boot, not compiled: templatesDir() finds them from dist/libs/templates
# at ../../../libs/templates/data, i.e. here.
COPY libs/templates/data ./libs/templates/data
# Reports directory owned by the unprivileged user, so a named volume mounted
# here starts out writable by it.
RUN mkdir -p /data/reports && chown node:node /data/reports
# The worker loads the prebuilt bundle instead of running webpack at start-up.
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
EXPOSE 3000
# No HEALTHCHECK here: one image, two processes; compose checks each (the API's /health, and for the worker
# dist/scripts/cluster/worker-health.js: is this container's worker polling?).
CMD ["node", "dist/apps/api/main.js"]
