"""The app's pages, one module per area: home (the dashboard), oia, disclosure, governance (PIA and ToR)."""
