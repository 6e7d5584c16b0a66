// Chart.js with only the pieces the trend charts use, registered once; loaded with import() by the trends page.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js'

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
)

export function drawChart(canvas: HTMLCanvasElement, config: ChartConfiguration): { destroy(): void } {
  return new Chart(canvas, config)
}
