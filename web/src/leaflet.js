// Leaflet as an ES module, exposed as the global `L` that the markercluster plugin expects.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

window.L = L;
export default L;
