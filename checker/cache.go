package checker

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
)

// cacheFormat is part of every cache key: bump it when the way a
// canonical file becomes a model changes in a way the build stamp below
// would not show (it is absent from test and some source builds).
// Formats 4 and 5 were made by two branches in parallel and each lacks
// the other's objects; 6 has both.
const cacheFormat = 13 // 2: binary model (codec.go) instead of JSON; 3: columns have identity_options; 4: foreign-data wrappers, servers, casts and publications, and no replica identity on foreign tables; 5: constraints have index_comment and key storage parameters, views column_defaults; 6: both; 7: a column of an extension's type depends on the extension; 8: indexes have invalid; 9: identity_options name a sequence not named by default; 10: invalid indexes have attached; 11 and 12 (two branches): keys have invalid and attached, a partition's key names the plain parent index its index is attached to / a cast keeps an alias equal to its type where its operand names the column; 13: both

// scriptFile is one input of a canonical load: its name as errors show
// it, and its contents.
type scriptFile struct {
	name string
	// keyName stands for the file in the cache key: "" for a lone
	// canonical file (its contents alone matter), the name within the
	// directory for a migration, the meta-command as written for an
	// included file.
	keyName string
	data    []byte
}

// cacheKey names the model that loading files on a server of the given
// major version produces: a hash of the files' names and contents
// (included files too), the server's major version, the snapshot and
// cache formats, and driftwatch's build.
func cacheKey(files []scriptFile, serverMajor int) string {
	k := newKeyHash(serverMajor)
	for _, f := range files {
		k.add(f.keyName, int64(len(f.data)))
		k.h.Write(f.data)
	}
	return k.sum()
}

// cacheKeyOfFile is cacheKey of one file named keyName, hashed as it is
// read from disk rather than held in memory (a 10,000-table JSON snapshot
// is 42 MB, of no use once its model is cached).
func cacheKeyOfFile(keyName, path string, serverMajor int) (string, error) {
	return hashFile(keyName, path, serverMajor, io.Discard)
}

// cacheKeyOfScript is cacheKeyOfFile of a lone canonical SQL file, and
// whether it may include others (\i, \ir, \include): then its key needs
// them too (cacheKey of withIncludes), and ok is false.
func cacheKeyOfScript(path string, serverMajor int) (key string, ok bool, err error) {
	var inc includeScan
	key, err = hashFile("", path, serverMajor, &inc)
	return key, !inc.found, err
}

// includeScan looks for a backslash followed by i in what is written to it.
type includeScan struct {
	found     bool
	backslash bool // the last byte written was one
}

func (s *includeScan) Write(p []byte) (int, error) {
	if s.found || len(p) == 0 {
		return len(p), nil
	}
	if s.backslash && p[0] == 'i' || bytes.Contains(p, []byte(`\i`)) {
		s.found = true
	}
	s.backslash = p[len(p)-1] == '\\'
	return len(p), nil
}

// hashFile hashes a file as cacheKey does, as it is read, and writes it to
// also.
func hashFile(keyName, path string, serverMajor int, also io.Writer) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	k := newKeyHash(serverMajor)
	k.add(keyName, fi.Size())
	if n, err := io.Copy(io.MultiWriter(k.h, also), f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	} else if n != fi.Size() {
		return "", fmt.Errorf("read %s: it changed while being read", path)
	}
	return k.sum(), nil
}

// keyHash builds a cache key.
type keyHash struct{ h hash.Hash }

func newKeyHash(serverMajor int) keyHash {
	k := keyHash{sha256.New()}
	fmt.Fprintf(k.h, "driftwatch canonical cache %d/%d/%d/%s\x00", cacheFormat, SnapshotVersion, serverMajor, buildStamp())
	return k
}

// add starts a file of size bytes: its contents are written next.
func (k keyHash) add(keyName string, size int64) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(keyName)))
	k.h.Write(n[:])
	k.h.Write([]byte(keyName))
	binary.BigEndian.PutUint64(n[:], uint64(size))
	k.h.Write(n[:])
}

func (k keyHash) sum() string { return hex.EncodeToString(k.h.Sum(nil)) }

// buildStamp identifies the driftwatch build. A build whose source the
// binary does not pin (no VCS revision, as in test binaries, or a
// modified tree) adds its executable's size and time, so two such builds
// never read each other's models: their model formats may differ with
// the same cacheFormat.
func buildStamp() string {
	var stamp string
	pinned := false
	if info, ok := debug.ReadBuildInfo(); ok {
		stamp = info.Main.Version
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				stamp += " " + s.Value
			}
			switch {
			case s.Key == "vcs.revision":
				pinned = true
			case s.Key == "vcs.modified" && s.Value == "true":
				return stamp + executableStamp()
			}
		}
	}
	if pinned {
		return stamp
	}
	return stamp + executableStamp()
}

// executableStamp is the running binary's size and modification time, or
// "" when they cannot be read.
func executableStamp() string {
	path, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprintf(" exe %d %d", fi.Size(), fi.ModTime().UnixNano())
}

// cacheDir is where cached canonical models live: LoadOptions.CacheDir,
// else $DRIFTWATCH_CACHE_DIR, else driftwatch/ in the user's cache
// directory.
func cacheDir(opts LoadOptions) (string, error) {
	if opts.CacheDir != "" {
		return opts.CacheDir, nil
	}
	if d := os.Getenv("DRIFTWATCH_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find cache directory: %w", err)
	}
	return filepath.Join(d, "driftwatch"), nil
}

// cacheGet returns the cached model for key, or nil when there is none
// or it cannot be read (a damaged entry is a miss, noted).
func cacheGet(opts LoadOptions, key string) *Model {
	dir, err := cacheDir(opts)
	if err != nil {
		opts.debugf("canonical cache off: %v", err)
		return nil
	}
	path := filepath.Join(dir, key+".model")
	m, err := readModelFile(path, opts.OffHeap)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		opts.debugf("canonical cache: ignore %s: %v", path, err)
		return nil
	}
	opts.debugf("canonical cache: hit %s", path)
	return m
}

// cachePut stores an encoded model under key, atomically (write then
// rename). A cache that cannot be written is only noted.
func cachePut(opts LoadOptions, key string, data []byte) {
	dir, err := cacheDir(opts)
	if err != nil {
		opts.debugf("canonical cache off: %v", err)
		return
	}
	if err := writeCacheEntry(dir, key, data); err != nil {
		opts.debugf("canonical cache: not stored: %v", err)
	}
}

func writeCacheEntry(dir, key string, data []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create cache directory: %w", err)
	}
	f, err := os.CreateTemp(dir, key+".*.tmp")
	if err != nil {
		return fmt.Errorf("create cache entry: %w", err)
	}
	defer os.Remove(f.Name()) // after a successful rename, there is nothing to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write cache entry: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write cache entry: %w", err)
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, key+".model")); err != nil {
		return fmt.Errorf("store cache entry: %w", err)
	}
	return nil
}

// readModelFile decodes a cached model as it reads the file, outside the
// Go heap with outsideHeap.
func readModelFile(path string, outsideHeap bool) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return decodeModel(bufio.NewReaderSize(f, 64<<10), fi.Size(), outsideHeap)
}
