# The API and worker image (docker-compose.yml runs `npm run start:api` / `npm run start:worker`).
# The workflow bundle is built here once, so workers start without bundling.

# The dashboard's bundle (ui/dist, served at /ui) is built with the dev dependencies, which the
# image itself leaves out.
FROM node:20-slim AS dashboard
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund || npm install --no-save --no-audit --no-fund
COPY ui ./ui
RUN node ui/build.mjs

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# package-lock.json is made where the registry serves only linux-x64 builds, so it lacks other
# platforms' optional packages and `npm ci` may call it out of sync; `npm install --no-save`
# then installs the same locked versions (what scripts/setup.mjs does too).
RUN (npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-save --no-audit --no-fund) && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
# The built-in deployment templates (GET /templates); TEMPLATES_DIR adds an operator's own.
COPY templates ./templates
COPY --from=dashboard /app/ui/dist ./ui/dist
# Bundled as the worker bundles its own (src/runtime/workflow-bundle.ts: ES2022, the service's payload converter).
RUN node_modules/.bin/tsx -e "require('./src/runtime/workflow-bundle').writeWorkflowBundle(require.resolve('./src/workflows'), 'workflow-bundle.js')"
ENV WORKFLOW_BUNDLE_PATH=/app/workflow-bundle.js
# Step packages (DATA_DIR/packages): docker-compose.yml mounts one volume there in the API and every worker.
RUN mkdir -p /app/.data/packages && chown -R node:node /app/.data
USER node
CMD ["npm", "run", "start:api"]
