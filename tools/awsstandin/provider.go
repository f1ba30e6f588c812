package awsstandin

import (
	"context"
	"fmt"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

// Name is the plugin's package name: the engine loads it for every aws:*
// resource and function.
const Name = "aws"

// Version is the pulumi-aws version the examples' SDK
// (github.com/pulumi/pulumi-aws/sdk/v6 in go.mod) asks the engine for; the
// stand-in is installed as that version so the engine picks it. A test
// keeps it equal to go.mod's.
const Version = "6.83.0"

// New is the stand-in provider, recording every operation to rec.
func New(rec *Recorder) p.Provider {
	s := standin{rec: rec}
	return p.Provider{
		GetSchema: func(context.Context, p.GetSchemaRequest) (p.GetSchemaResponse, error) {
			// Go programs need no schema; a minimal one names the package.
			return p.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":%q,"version":%q}`, Name, Version)}, nil
		},
		CheckConfig: func(_ context.Context, req p.CheckRequest) (p.CheckResponse, error) {
			return p.CheckResponse{Inputs: req.Inputs}, nil
		},
		DiffConfig: func(_ context.Context, req p.DiffRequest) (p.DiffResponse, error) {
			return diff(req.OldInputs, req.Inputs), nil
		},
		Invoke: s.invoke,
		Check:  s.check,
		Diff: func(_ context.Context, req p.DiffRequest) (p.DiffResponse, error) {
			return diff(req.OldInputs, req.Inputs), nil
		},
		Create: s.create,
		Read:   s.read,
		Update: s.update,
		Delete: s.delete,
	}
}

// standin holds the recorder the provider's operations share.
type standin struct{ rec *Recorder }

// record writes one record; a record that cannot be written fails the
// operation, so a test never asserts on a partial file.
func (s standin) record(op Op, dryRun bool, typ, name, urn string, inputs property.Map) error {
	r, err := NewRecord(op, dryRun, typ, name, urn, resource.ToResourcePropertyMap(inputs))
	if err != nil {
		return err
	}
	return s.rec.Record(r)
}

// typeOf is the resource's type and name from its URN, refusing anything
// but an aws:* type: the plugin stands in for the AWS provider only.
func typeOf(urn resource.URN) (string, string, error) {
	if !urn.IsValid() {
		return "", "", fmt.Errorf("invalid URN %q", urn)
	}
	typ := string(urn.Type())
	if !strings.HasPrefix(typ, Name+":") {
		return "", "", fmt.Errorf("%s: the AWS stand-in manages aws:* resources only", typ)
	}
	return typ, urn.Name(), nil
}

func (s standin) check(_ context.Context, req p.CheckRequest) (p.CheckResponse, error) {
	typ, name, err := typeOf(req.Urn)
	if err != nil {
		return p.CheckResponse{}, err
	}
	if err := s.record(OpCheck, false, typ, name, string(req.Urn), req.Inputs); err != nil {
		return p.CheckResponse{}, err
	}
	return p.CheckResponse{Inputs: req.Inputs}, nil
}

func (s standin) create(_ context.Context, req p.CreateRequest) (p.CreateResponse, error) {
	typ, name, err := typeOf(req.Urn)
	if err != nil {
		return p.CreateResponse{}, err
	}
	if err := s.record(OpCreate, req.DryRun, typ, name, string(req.Urn), req.Properties); err != nil {
		return p.CreateResponse{}, err
	}
	id, outputs := computed(typ, name, req.Properties)
	if req.DryRun {
		id = ""
	}
	return p.CreateResponse{ID: id, Properties: outputs}, nil
}

func (s standin) update(_ context.Context, req p.UpdateRequest) (p.UpdateResponse, error) {
	typ, name, err := typeOf(req.Urn)
	if err != nil {
		return p.UpdateResponse{}, err
	}
	if err := s.record(OpUpdate, req.DryRun, typ, name, string(req.Urn), req.Inputs); err != nil {
		return p.UpdateResponse{}, err
	}
	_, outputs := computed(typ, name, req.Inputs)
	return p.UpdateResponse{Properties: outputs}, nil
}

// read answers with the state it is given: nothing changes outside the
// engine in the stand-in's world, so a refresh finds no drift.
func (s standin) read(_ context.Context, req p.ReadRequest) (p.ReadResponse, error) {
	typ, name, err := typeOf(req.Urn)
	if err != nil {
		return p.ReadResponse{}, err
	}
	if err := s.record(OpRead, false, typ, name, string(req.Urn), req.Inputs); err != nil {
		return p.ReadResponse{}, err
	}
	return p.ReadResponse{ID: req.ID, Properties: req.Properties, Inputs: req.Inputs}, nil
}

func (s standin) delete(_ context.Context, req p.DeleteRequest) error {
	typ, name, err := typeOf(req.Urn)
	if err != nil {
		return err
	}
	return s.record(OpDelete, false, typ, name, string(req.Urn), req.OldInputs)
}

func (s standin) invoke(_ context.Context, req p.InvokeRequest) (p.InvokeResponse, error) {
	if err := s.record(OpInvoke, false, string(req.Token), "", "", req.Args); err != nil {
		return p.InvokeResponse{}, err
	}
	out := lambdawaftest.Invoke(string(req.Token), resource.ToResourcePropertyMap(req.Args))
	return p.InvokeResponse{Return: resource.FromResourcePropertyMap(out)}, nil
}

// computed is the id and outputs AWS would give the resource.
func computed(typ, name string, inputs property.Map) (string, property.Map) {
	id, out := lambdawaftest.Outputs(typ, name, resource.ToResourcePropertyMap(inputs))
	return id, resource.FromResourcePropertyMap(out)
}

// diff reports every top-level input that differs as an in-place update:
// the stand-in replaces nothing.
func diff(old, cur property.Map) p.DiffResponse {
	detailed := map[string]p.PropertyDiff{}
	for k, v := range cur.All {
		if o, ok := old.GetOk(k); !ok || !o.Equals(v) {
			detailed[k] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
		}
	}
	for k := range old.All {
		if _, ok := cur.GetOk(k); !ok {
			detailed[k] = p.PropertyDiff{Kind: p.Delete, InputDiff: true}
		}
	}
	return p.DiffResponse{HasChanges: len(detailed) > 0, DetailedDiff: detailed}
}
