from helpgen.importers.mkdocs.importer import (_CheckingLoader, find_config, import_mkdocs,
                                               material_colors, read_settings)

__all__ = ["import_mkdocs", "material_colors", "read_settings", "find_config", "_CheckingLoader"]
