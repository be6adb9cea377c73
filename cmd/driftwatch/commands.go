package main

// allCommands lists every subcommand, in the order help shows them. Each
// lives in its own file.
func (m *Main) allCommands() []command {
	return []command{
		&checkCommand{stdout: m.stdout, stderr: m.stderr, fitMemory: m.ownsProcess},
		&watchCommand{stdout: m.stdout, stderr: m.stderr, fitMemory: m.ownsProcess},
		&demoCommand{stdout: m.stdout, stderr: m.stderr},
		&webhookReceiverCommand{stdout: m.stdout, stderr: m.stderr},
		&snapshotCommand{stdout: m.stdout, stderr: m.stderr},
		&benchCommand{stdout: m.stdout, stderr: m.stderr},
		&versionCommand{out: m.stdout},
		&installCommand{stdout: m.stdout, stderr: m.stderr},
		&uninstallCommand{stdout: m.stdout, stderr: m.stderr},
		&outboxCommand{stdout: m.stdout, stderr: m.stderr},
	}
}
