# motcua's application image: Node 20, production dependencies only, started with `npm start`.
# Stage 1 builds the web app (web/ is an npm workspace with Vite and React); stage 2 carries only the
# server's dependencies and the built web/dist.
FROM node:20-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
COPY web/package.json web/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY web web
COPY src/domain src/domain
RUN npm run build:web

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY web/package.json web/
# tsx (the fallback when dist/ is stale) and esbuild are runtime dependencies, so --omit=dev keeps what start needs;
# --workspaces=false leaves the web app's build tools out of the image.
RUN npm ci --omit=dev --ignore-scripts --workspaces=false --no-audit --no-fund && npm cache clean --force
COPY . .
COPY --from=web /app/web/dist web/dist
# The server compiled to JavaScript (dist/): `npm start` then runs it without transpiling TypeScript at every start.
RUN node scripts/build-server.js
USER node
EXPOSE 3000
CMD ["npm", "start"]
