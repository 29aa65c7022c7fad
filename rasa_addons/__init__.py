"""Code that runs inside the Rasa server's own environment (.venv-rasa), named in
endpoints.yml. It imports only Rasa and what Rasa brings, never `bot`."""
