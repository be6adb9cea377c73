// Package notify owns what driftwatch tells the world: the drift event
// (CloudEvents JSON with one versioned schema), the Sink interface and its
// implementations, and the durable outbox with its delivery loop.
//
// notify knows nothing of catalogs or schema models.
package notify
