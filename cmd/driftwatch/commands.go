package main

// allCommands lists every subcommand, in the order help shows them. Each
// lives in its own file.
func (m *Main) allCommands() []command {
	return []command{
		&versionCommand{out: m.stdout},
	}
}
