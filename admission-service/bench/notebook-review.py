#!/usr/bin/env python3
"""Writes a realistic AdmissionReview (a Kubeflow notebook pod, as the API server sends it: already defaulted)
for namespace argv[1], labelled to select PodDefaults pd-0..pd-(argv[2]-1) of BenchApiServer."""
import json, sys, uuid

ns = sys.argv[1]
matches = int(sys.argv[2])
labels = {"app": "nb", "notebook-name": "nb", "statefulset": "nb", "statefulset.kubernetes.io/pod-name": "nb-0",
          "controller-revision-hash": "nb-6c9f8d7b5"}
labels.update({"pd-%d" % i: "true" for i in range(matches)})
pod = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "nb-0", "generateName": "nb-", "namespace": ns, "labels": labels,
                 "annotations": {"notebooks.kubeflow.org/server-type": "jupyter"},
                 "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "nb", "uid": str(uuid.uuid4()),
                                      "controller": True, "blockOwnerDeletion": True}]},
    "spec": {
        "containers": [{
            "name": "nb", "image": "kubeflownotebookswg/jupyter-scipy:v1.8.0", "imagePullPolicy": "IfNotPresent",
            "env": [{"name": "NB_PREFIX", "value": "/notebook/%s/nb" % ns}],
            "ports": [{"containerPort": 8888, "name": "notebook-port", "protocol": "TCP"}],
            "resources": {"limits": {"cpu": "600m", "memory": "1288490188800m"}, "requests": {"cpu": "500m", "memory": "1Gi"}},
            "volumeMounts": [{"mountPath": "/dev/shm", "name": "dshm"}, {"mountPath": "/home/jovyan", "name": "nb-volume"},
                             {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-x7k2p", "readOnly": True}],
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "workingDir": "/home/jovyan"}],
        "dnsPolicy": "ClusterFirst", "enableServiceLinks": True, "hostname": "nb-0", "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0, "restartPolicy": "Always", "schedulerName": "default-scheduler", "securityContext": {"fsGroup": 100},
        "serviceAccount": "default-editor", "serviceAccountName": "default-editor", "subdomain": "nb",
        "terminationGracePeriodSeconds": 30,
        "tolerations": [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}],
        "volumes": [{"name": "dshm", "emptyDir": {"medium": "Memory"}},
                    {"name": "nb-volume", "persistentVolumeClaim": {"claimName": "nb-volume"}},
                    {"name": "kube-api-access-x7k2p", "projected": {"defaultMode": 420, "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}]}}]},
    "status": {"phase": "Pending", "qosClass": "Burstable"}}
review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
          "request": {"uid": str(uuid.uuid4()), "kind": {"group": "", "version": "v1", "kind": "Pod"},
                      "resource": {"group": "", "version": "v1", "resource": "pods"},
                      "requestKind": {"group": "", "version": "v1", "kind": "Pod"},
                      "requestResource": {"group": "", "version": "v1", "resource": "pods"},
                      "namespace": ns, "operation": "CREATE",
                      "userInfo": {"username": "system:serviceaccount:kubeflow:default", "groups": ["system:serviceaccounts"]},
                      "object": pod, "oldObject": None, "dryRun": False,
                      "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}}}
json.dump(review, sys.stdout, separators=(",", ":"))
