"""Official Information Act releases: citations of grounds, the statutory clock, release packages."""
