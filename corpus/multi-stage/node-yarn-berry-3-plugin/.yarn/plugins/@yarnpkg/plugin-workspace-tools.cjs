// plugin-workspace-tools (stand-in text)
