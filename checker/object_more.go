package checker

// objectMore is the part of an Object that most objects leave empty.
type objectMore struct {
	comment   string
	acl       string
	inherited bool
	deps      []string
}

// Comment is the object's COMMENT (compared only when asked).
func (o *Object) Comment() string {
	if o.more == nil {
		return ""
	}
	return o.more.comment
}

// ACL is the normalized privilege list (compared only when asked).
func (o *Object) ACL() string {
	if o.more == nil {
		return ""
	}
	return o.more.acl
}

// Inherited marks objects PostgreSQL creates by itself along with a
// parent: partition columns, cloned constraints, indexes and triggers.
func (o *Object) Inherited() bool {
	return o.more != nil && o.more.inherited
}

// Deps names objects this one needs to exist first (by Key). The slice is
// the object's own: do not change it.
func (o *Object) Deps() []string {
	if o.more == nil {
		return nil
	}
	return o.more.deps
}

// SetComment sets the object's comment.
func (o *Object) SetComment(comment string) {
	if comment != "" || o.more != nil {
		o.ensureMore().comment = comment
	}
}

// SetACL sets the object's normalized privilege list.
func (o *Object) SetACL(acl string) {
	if acl != "" || o.more != nil {
		o.ensureMore().acl = acl
	}
}

// SetInherited marks the object as created along with a parent's.
func (o *Object) SetInherited(inherited bool) {
	if inherited || o.more != nil {
		o.ensureMore().inherited = inherited
	}
}

// SetDeps replaces the object's dependencies.
func (o *Object) SetDeps(deps []string) {
	if len(deps) > 0 || o.more != nil {
		o.ensureMore().deps = deps
	}
}

// AddDep adds a dependency the object does not have yet.
func (o *Object) AddDep(key string) {
	if !hasDep(o, key) {
		m := o.ensureMore()
		m.deps = append(m.deps, key)
	}
}

// cloneWithDeps returns a copy of o with deps as its dependencies.
func (o *Object) cloneWithDeps(deps []string) *Object {
	c := *o
	if o.more != nil {
		m := *o.more
		c.more = &m
	}
	c.SetDeps(deps)
	return &c
}

func (o *Object) ensureMore() *objectMore {
	if o.more == nil {
		o.more = &objectMore{}
	}
	return o.more
}
