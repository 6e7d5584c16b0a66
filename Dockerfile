# motcua's application image: Node 20, production dependencies only, started with `npm start`.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# tsx is a runtime dependency (TypeScript is run, not compiled), so --omit=dev keeps what start needs.
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
USER node
EXPOSE 3000
CMD ["npm", "start"]
