"""The centre server (``motcua server --role center``): the shared queue and the dossier-number leases over HTTP.

FastAPI on uvicorn; the OpenAPI document is served at ``/openapi.json`` (and browsable at ``/docs``).
"""
