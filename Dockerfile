# The Ramp image: `ramp controller`, `ramp reconcile --once` and `ramp webhook` (the chart picks
# the command). Node 24 runs the TypeScript sources directly (type stripping), so there is no
# build step: the image holds the sources and the production dependencies only.
#
#   docker build -t ramp:0.1.0 .
#
# No image is published yet; build this one and push it where your cluster pulls from.

# --- production node_modules (no devDependencies: no TypeScript, no Node-from-npm) ---
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No production dependency has an install script; refuse to run any.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# --- runtime ---
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# Type stripping does not apply under node_modules, so the sources stay outside it.
COPY package.json ./
COPY bin ./bin
COPY functions ./functions
COPY controller ./controller
COPY webhooks ./webhooks
# The node image's unprivileged user (uid/gid 1000). Numeric, so Kubernetes'
# runAsNonRoot can verify it; the chart sets the same ids.
USER 1000:1000
ENTRYPOINT ["node", "bin/ramp.js"]
CMD ["--help"]
