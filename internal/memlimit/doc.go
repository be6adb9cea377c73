// Package memlimit fits the Go runtime's soft memory limit to what a
// driftwatch process is known to hold.
//
// Most of a check's or a daemon's memory is the canonical model, loaded
// once; what a full read of the live schema adds is garbage, made fast.
// Left to GOGC alone, the heap grows to twice what was live at the last
// collection before the next one starts, and a 10,000-table check peaks
// at some 140 MB resident. A soft limit a little above the model's size
// makes the collector run before that, at a small cost in CPU. A
// GOMEMLIMIT set by the user always stands.
package memlimit
