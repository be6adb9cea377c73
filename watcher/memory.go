package watcher

import "github.com/driftwatch/driftwatch/internal/memlimit"

// DaemonMemory returns the soft memory limit policy a daemon that owns its process
// keeps: a quarter above what it holds between sweeps (the canonical
// model, drift state, connections) plus 12 MiB for re-checks and
// deliveries, at least 32 MiB. At 10,000 tables that is some 40 MiB: the
// collector runs more often during a sweep, and the sidecar stays near
// its working set instead of twice it.
func DaemonMemory() memlimit.Policy {
	return memlimit.Policy{Factor: 1.25, Extra: 12 << 20, Floor: 32 << 20}
}

// FitMemory makes the daemon keep the Go runtime's soft memory limit at
// p, measured after the canonical schema loads and after every sweep.
// Only for a daemon that owns its process; GOMEMLIMIT, when set, stands.
func (d *Daemon) FitMemory(p memlimit.Policy) {
	d.memory = &p
}

// fitMemory sets the limit from what is live now. It says whether it did,
// which collected garbage and handed the freed memory back to the OS.
func (d *Daemon) fitMemory() bool {
	if d.memory == nil {
		return false
	}
	limit := memlimit.Fit(*d.memory)
	if limit > 0 {
		d.log.Debug().Int64("limit_bytes", limit).Msg("soft memory limit set")
	}
	return limit > 0
}

// liftMemoryLimit lifts the limit while a second canonical model loads
// next to the first (a reload); fitMemory sets it again afterwards.
func (d *Daemon) liftMemoryLimit() {
	if d.memory != nil {
		memlimit.Lift()
	}
}
