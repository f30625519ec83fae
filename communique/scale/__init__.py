"""Scale: several processes on one machine (``ingest --workers``) and a cluster (``communique run``, Dask)."""
