package fleet

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Attribute names of the table's items.
const (
	AttrKey        = "pk"        // partition key, "<group>#..."
	AttrCount      = "n"         // counter items: the fleet's count
	AttrExpiresAt  = "expiresAt" // every item: Unix seconds after which it is absent
	flagAttrPrefix = "f_"        // flag item: one attribute per flagged source
)

// MaxFlagDuration bounds how long a threshold may flag a source; the flag
// item lives that long after its last write.
const MaxFlagDuration = 7 * 24 * time.Hour

// API is the part of DynamoDB the package uses; *Client implements it
// (dynamodb.go).
type API interface {
	GetItem(ctx context.Context, in *GetItemInput) (*GetItemOutput, error)
	UpdateItem(ctx context.Context, in *UpdateItemInput) (*UpdateItemOutput, error)
}

// Table is one protection group's view of the table: every key it builds
// starts with the group's prefix.
type Table struct {
	API   API
	Name  string
	Group string
}

// ValidGroup reports whether group can prefix keys: non-empty, without '#'.
func ValidGroup(group string) error {
	if group == "" || strings.ContainsAny(group, "#") || len(group) > 128 {
		return fmt.Errorf("protection group %q: want 1 to 128 characters without '#'", group)
	}
	return nil
}

// counterKey is the key of a counter item: kind is "rl" (rate limit) or
// "blk" (blocked requests of a threshold).
func (t *Table) counterKey(kind, id, pseudonym string, window int64) string {
	return t.Group + "#" + kind + "#" + id + "#" + pseudonym + "#" + strconv.FormatInt(window, 10)
}

// FlagsKey is the key of the group's flag item.
func (t *Table) FlagsKey() string { return t.Group + "#flags" }

// add adds delta to a counter item and returns the new total. The item
// expires at expires.
func (t *Table) add(ctx context.Context, key string, delta int64, expires time.Time) (int64, error) {
	out, err := t.API.UpdateItem(ctx, &UpdateItemInput{
		TableName:        t.Name,
		Key:              map[string]AttributeValue{AttrKey: str(key)},
		UpdateExpression: "ADD #n :d SET #e = :e",
		ExpressionAttributeNames: map[string]string{
			"#n": AttrCount, "#e": AttrExpiresAt,
		},
		ExpressionAttributeValues: map[string]AttributeValue{
			":d": number(delta), ":e": number(expires.Unix()),
		},
		ReturnValues: ReturnValuesUpdatedNew,
	})
	if err != nil {
		return 0, fmt.Errorf("update %s: %w", t.Name, err)
	}
	n, err := intAttr(out.Attributes, AttrCount)
	if err != nil {
		return 0, fmt.Errorf("update %s: %w", t.Name, err)
	}
	return n, nil
}

// Flag is one flagged source.
type Flag struct {
	Pseudonym string    // the source's pseudonym, e.g. ip_0123456789abcdef
	Until     time.Time // when the flag lapses
}

// SetFlag flags a source until until.
func (t *Table) SetFlag(ctx context.Context, pseudonym string, until, now time.Time) error {
	if !validPseudonym(pseudonym) {
		return fmt.Errorf("flag: %q is not a pseudonym", pseudonym)
	}
	_, err := t.API.UpdateItem(ctx, &UpdateItemInput{
		TableName:        t.Name,
		Key:              map[string]AttributeValue{AttrKey: str(t.FlagsKey())},
		UpdateExpression: "SET #f = :u, #e = :e",
		ExpressionAttributeNames: map[string]string{
			"#f": flagAttrPrefix + pseudonym, "#e": AttrExpiresAt,
		},
		ExpressionAttributeValues: map[string]AttributeValue{
			":u": number(until.UnixMilli()), ":e": number(now.Add(MaxFlagDuration).Unix()),
		},
	})
	if err != nil {
		return fmt.Errorf("flag in %s: %w", t.Name, err)
	}
	return nil
}

// ClearFlags removes flags; none given removes every flag of the group.
func (t *Table) ClearFlags(ctx context.Context, pseudonyms ...string) error {
	if len(pseudonyms) == 0 {
		flags, err := t.Flags(ctx, time.Time{})
		if err != nil {
			return err
		}
		for _, f := range flags {
			pseudonyms = append(pseudonyms, f.Pseudonym)
		}
		if len(pseudonyms) == 0 {
			return nil
		}
	}
	names := map[string]string{}
	var remove []string
	for i, p := range pseudonyms {
		if !validPseudonym(p) {
			return fmt.Errorf("clear flag: %q is not a pseudonym", p)
		}
		n := "#f" + strconv.Itoa(i)
		names[n] = flagAttrPrefix + p
		remove = append(remove, n)
	}
	_, err := t.API.UpdateItem(ctx, &UpdateItemInput{
		TableName:                t.Name,
		Key:                      map[string]AttributeValue{AttrKey: str(t.FlagsKey())},
		UpdateExpression:         "REMOVE " + strings.Join(remove, ", "),
		ExpressionAttributeNames: names,
	})
	if err != nil {
		return fmt.Errorf("clear flags in %s: %w", t.Name, err)
	}
	return nil
}

// Flags reads the group's flags in force at now; a zero now returns every
// flag, lapsed or not (for clearing). An expired flag item is absent.
func (t *Table) Flags(ctx context.Context, now time.Time) ([]Flag, error) {
	out, err := t.API.GetItem(ctx, &GetItemInput{
		TableName:      t.Name,
		Key:            map[string]AttributeValue{AttrKey: str(t.FlagsKey())},
		ConsistentRead: true,
	})
	if err != nil {
		return nil, fmt.Errorf("read flags from %s: %w", t.Name, err)
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	if !now.IsZero() {
		exp, err := intAttr(out.Item, AttrExpiresAt)
		if err != nil || !now.Before(time.Unix(exp, 0)) {
			return nil, nil // expired (or malformed): absent
		}
	}
	var flags []Flag
	for name := range out.Item {
		p, ok := strings.CutPrefix(name, flagAttrPrefix)
		if !ok {
			continue
		}
		ms, err := intAttr(out.Item, name)
		if err != nil {
			continue
		}
		until := time.UnixMilli(ms)
		if now.IsZero() || now.Before(until) {
			flags = append(flags, Flag{Pseudonym: p, Until: until})
		}
	}
	return flags, nil
}

// validPseudonym accepts what telemetry.Pseudonym makes: a short lower-case
// prefix ending in '_' and hex.
func validPseudonym(p string) bool {
	prefix, hexPart, ok := strings.Cut(p, "_")
	if !ok || prefix == "" || len(prefix) > 8 || len(hexPart) != 16 {
		return false
	}
	for _, c := range prefix {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	for _, c := range hexPart {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func intAttr(item map[string]AttributeValue, name string) (int64, error) {
	v, ok := item[name]
	if !ok || v.N == nil {
		return 0, errors.New("attribute " + name + " missing or not a number")
	}
	n, err := strconv.ParseInt(*v.N, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("attribute %s: %w", name, err)
	}
	return n, nil
}
