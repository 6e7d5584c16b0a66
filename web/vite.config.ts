// The web app's build: `npm run build:web` writes web/dist, which the motcua server serves at `/`;
// `npm run dev` runs the server and this config's dev server with hot reload, proxying the API.
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const api = `http://127.0.0.1:${process.env.MOTCUA_API_PORT ?? '3000'}`

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000, sourcemap: false },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    proxy: { '/api': api, '/health': api, '/docs': api },
  },
})
