"""Hardware behind small Protocols with fakes: printers, cameras, barcode reading."""
