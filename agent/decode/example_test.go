package decode_test

import (
	"errors"
	"fmt"

	"github.com/lambdawaf/lambdawaf/agent/decode"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

func Example() {
	payload := []byte(`{
	  "version": "2.0", "routeKey": "POST /login", "rawPath": "/login",
	  "rawQueryString": "next=%252Fadmin",
	  "headers": {"content-type": "application/json"},
	  "requestContext": {"http": {"method": "POST", "sourceIp": "203.0.113.9"}},
	  "body": "{\"user\":{\"$ne\":null},\"note\":\"PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\"}",
	  "isBase64Encoded": false
	}`)
	req, err := event.Parse(payload)
	if err != nil {
		fmt.Println("fail open:", err)
		return
	}
	d := decode.New(decode.Limits{})
	err = d.Walk(req, func(v event.Value) bool {
		if v.Part == event.PartHeader {
			return true
		}
		fmt.Printf("%-5s %-13s %-30q key=%-5v %v\n", v.Part, v.Location, v.Text, v.IsKey, v.Decoded)
		return true
	})
	var de *decode.Error
	if errors.As(err, &de) {
		for _, is := range de.Issues {
			fmt.Println("protocol signal:", is.Kind, is.Location)
		}
	}
	// Output:
	// path  path          "/login"                       key=false []
	// path  path[0]       "login"                        key=false []
	// query query.next    "next"                         key=true  []
	// query query.next    "%2Fadmin"                     key=false [url]
	// query query.next    "/admin"                       key=false [url url]
	// body  body.user     "user"                         key=true  []
	// body  body.user.$ne "$ne"                          key=true  []
	// body  body.note     "note"                         key=true  []
	// body  body.note     "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" key=false []
	// body  body.note     "<svg onload=alert(1)>"        key=false [base64]
}
