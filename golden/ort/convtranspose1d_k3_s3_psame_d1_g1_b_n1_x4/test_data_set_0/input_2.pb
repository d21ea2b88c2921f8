
BBJt·K¿wÑœ?3U?tó¾