//! Multi-day tours for mobile conseillers: TSP and team orienteering.
