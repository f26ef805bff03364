# why137's container image: `docker build -t why137 .` (Node 24 on Debian bookworm, non-root, production
# dependencies only). Where no registry is reachable, scripts/build-base-image.sh first imports a local
# node:24-bookworm-slim built from Debian's mirror and the npm registry; then build with --pull=false.
# Runs `why137 serve` by default; any other arguments replace it (`docker run -i IMAGE explain -`).

FROM node:24-bookworm-slim AS build
WORKDIR /src
# NOTE: behind a TLS-inspecting proxy whose CA the base image trusts, npm needs it too (Node ships its own
# CA list): --build-arg NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt. Build stage only.
ARG NODE_EXTRA_CA_CERTS
# .npmrc when the project has one: npm ci must resolve the tree the way it does outside the image.
COPY package.json package-lock.json .npmr[c] ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
# /app is the image's whole application: package.json ("type": "module" makes dist/ ES modules), the
# production node_modules, the compiled src, the built-in runbooks, the Slack manifest, the two container scripts.
RUN npx tsc -p tsconfig.build.json \
 && npm prune --omit=dev --no-audit --no-fund --loglevel=error \
 && mkdir -p /app/dist /app/scripts \
 && cp -R package.json package-lock.json node_modules runbooks /app/ \
 && cp -R dist/src /app/dist/ \
 && cp scripts/container-start.sh scripts/container-healthcheck.js /app/scripts/ \
 && if [ -f manifest.yml ]; then cp manifest.yml /app/; fi

FROM node:24-bookworm-slim
# The store (SQLite) lives in WHY137_DATA_DIR: mount a volume there to keep proposals and the audit.
ENV NODE_ENV=production PORT=3000 WHY137_DATA_DIR=/var/lib/why137
RUN groupadd --gid 10001 why137 \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin why137 \
 && mkdir -p /var/lib/why137 && chown 10001:10001 /var/lib/why137
WORKDIR /app
# Numeric, so Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "/app/scripts/container-healthcheck.js"]
ENTRYPOINT ["/app/scripts/container-start.sh"]
CMD ["serve"]
# Last, so a code change rebuilds one layer; COPY leaves the files root-owned: uid 10001 cannot change its own code.
COPY --from=build /app/ /app/
