"""The demo: the 2017 western Massachusetts story, a large synthetic city, and a login per role."""
