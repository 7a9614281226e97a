# The Tributary worker image, built from this repository (docker-compose.yml builds it for its two
# distributed workers). The CLI runs the TypeScript sources through tsx, so the image holds the
# sources and the production dependencies; `npm ci` also builds the plugin SDK entry points (dist/).
FROM node:20-bookworm-slim

WORKDIR /opt/tributary
COPY . .
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund && mkdir -p /opt/tributary/plugins /var/lib/tributary

ENV NODE_ENV=production
EXPOSE 8083
ENTRYPOINT ["node", "cli/bin.js"]
CMD ["distributed", "/etc/tributary/worker.properties"]
