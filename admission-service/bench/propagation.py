#!/usr/bin/env python3
"""Propagation probe: how long from a PodDefault change in the API to the webhook's answers reflecting it.

usage: propagation.py <api-url> <webhook-url> <namespace> <rounds>

Each round creates PodDefault probe-<i> (selector probe-<i>: "true", env PROBE=v1) through the API stand-in, then
posts an AdmissionReview for a pod with that label to the webhook every millisecond or so until the answer carries a
patch (created -> reflected); changes the env value to v2 and polls until the patch sets v2 (changed -> reflected);
deletes the PodDefault and polls until the answer has no patch (deleted -> reflected). The clock starts when the API
has answered the write. Prints one line: rounds, p50/max for each."""
import base64, json, ssl, sys, time, urllib.request, uuid

api, webhook, ns, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
insecure = ssl.create_default_context()
insecure.check_hostname = False
insecure.verify_mode = ssl.CERT_NONE


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=insecure if url.startswith("https") else None, timeout=10) as answer:
        return json.load(answer)


def review(label):
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "probe", "namespace": ns, "labels": {label: "true"}},
           "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": str(uuid.uuid4()), "kind": {"group": "", "version": "v1", "kind": "Pod"},
                        "resource": {"group": "", "version": "v1", "resource": "pods"},
                        "namespace": ns, "operation": "CREATE", "object": pod}}


def patch_text(label):
    answer = call("POST", webhook, review(label))["response"]
    return base64.b64decode(answer["patch"]).decode() if "patch" in answer else None


def until(reflected, label, deadline_s=30):
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        if reflected(patch_text(label)):
            return (time.monotonic() - start) * 1000
        time.sleep(0.001)
    raise SystemExit("%s: not reflected within %d s" % (label, deadline_s))


collection = "%s/apis/kubeflow.org/v1alpha1/namespaces/%s/poddefaults" % (api, ns)
created, changed, deleted = [], [], []
for i in range(rounds):
    name = "probe-%d" % i
    call("POST", collection, {"apiVersion": "kubeflow.org/v1alpha1", "kind": "PodDefault",
                              "metadata": {"name": name, "namespace": ns},
                              "spec": {"desc": name, "selector": {"matchLabels": {name: "true"}},
                                       "env": [{"name": "PROBE", "value": "v1"}]}})
    created.append(until(lambda patch: patch is not None and '"v1"' in patch, name))
    current = call("GET", "%s/%s" % (collection, name))
    current["spec"]["env"][0]["value"] = "v2"
    call("PUT", "%s/%s" % (collection, name), current)
    changed.append(until(lambda patch: patch is not None and '"v2"' in patch, name))
    call("DELETE", "%s/%s" % (collection, name))
    deleted.append(until(lambda patch: patch is None, name))


def summary(values):
    values = sorted(values)
    return "p50 %.1f ms, max %.1f ms" % (values[len(values) // 2], values[-1])


print("rounds=%d created->reflected %s; changed->reflected %s; deleted->reflected %s"
      % (rounds, summary(created), summary(changed), summary(deleted)))
