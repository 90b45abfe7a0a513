// Plugins that extend the global `L` (imported after ./leaflet.js has set it).
import 'leaflet.markercluster';
import 'leaflet.markercluster/dist/MarkerCluster.css';
