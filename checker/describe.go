package checker

import "strings"

// Describe renders an object's definition for people: what a column is,
// what a constraint says.
func Describe(o *Object) string {
	switch o.Kind {
	case KindColumn:
		return columnDef(o, false)
	case KindConstraint:
		return o.Attr("definition")
	case KindTable:
		var parts []string
		for _, a := range []string{"persistence", "relkind"} {
			if v := o.Attr(a); v != "" && v != "permanent" {
				parts = append(parts, v)
			}
		}
		if v := o.Attr("partition_of"); v != "" {
			parts = append(parts, "partition of "+v+" "+o.Attr("partition_bound"))
		}
		if v := o.Attr("partition_key"); v != "" {
			parts = append(parts, "partition by "+v)
		}
		if v := o.Attr("inherits"); v != "" {
			parts = append(parts, "inherits "+v)
		}
		if o.Attr("rls") == "true" {
			parts = append(parts, "row level security")
		}
		return strings.Join(parts, ", ")
	case KindType:
		return o.Attr("type") + " " + o.Attr("definition")
	case KindSequence:
		return seqOptions(o)
	case KindExtension:
		if o.Attr("version") == "" {
			return "any version in schema " + o.Attr("schema")
		}
		return "version " + o.Attr("version") + " in schema " + o.Attr("schema")
	case KindPolicy:
		return policyDef(o)
	case KindSchema:
		return "schema " + o.Name
	case KindEventTrigger:
		return "ON " + o.Attr("event") + " EXECUTE FUNCTION " + o.Attr("function")
	case KindFDW, KindServer, KindCast, KindPublication:
		return describeForeign(o)
	case KindTSDictionary, KindTSConfig, KindTSParser, KindTSTemplate:
		return describeTS(o)
	case KindOperator:
		return operatorDef(o)
	case KindOpFamily, KindOpClass:
		return describeOpclass(o)
	case KindDefaultACL:
		if o.ACL() == "" {
			return "no privileges"
		}
		return "privileges " + o.ACL()
	}
	if v := o.Attr("definition"); v != "" {
		return strings.TrimSpace(v)
	}
	return string(o.Kind)
}
