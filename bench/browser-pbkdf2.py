"""PBKDF2 guesses per second in headless Chromium, with the page's own
derive() (600,000 rounds of PBKDF2-HMAC-SHA256 and two SHA-256), on a site
that `cohort publish` wrote:

    python3 bench/browser-pbkdf2.py SITE_DIR [N]
"""
import json, os, subprocess, sys, tempfile, time
site = os.path.abspath(sys.argv[1]); n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
prof = tempfile.mkdtemp()
p = subprocess.Popen(["sh","-c","exec /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --user-data-dir="+prof+" --remote-debugging-pipe about:blank 3<&0 4>&1 0</dev/null 1>/dev/null 2>/dev/null"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out = p.stdin; inp = p.stdout
nid=[0]; sess=[None]
def call(method, params):
    nid[0]+=1; m={"id":nid[0],"method":method,"params":params}
    if sess[0]: m["sessionId"]=sess[0]
    out.write(json.dumps(m).encode()+b"\0"); out.flush()
    buf=b""
    while True:
        c=inp.read(1)
        if c==b"\0":
            a=json.loads(buf); buf=b""
            if a.get("id")==nid[0]: return a.get("result")
        else: buf+=c
t=call("Target.createTarget",{"url":"file://" + site + "/index.html"})
s=call("Target.attachToTarget",{"targetId":t["targetId"],"flatten":True}); sess[0]=s["sessionId"]
time.sleep(3)
js = """(async () => { const n = """ + str(n) + """; const t0 = performance.now();
 for (let i = 0; i < n; i++) { await derive("PSCE-7K3M-9X2Q-" + i); }
 return (performance.now() - t0) / n; })()"""
r=call("Runtime.evaluate",{"expression":js,"awaitPromise":True,"returnByValue":True})
ms = r["result"]["value"]
print("%.0f ms per number in Chromium, %.1f guesses per second (one tab, one at a time)" % (ms, 1000 / ms))
p.kill()

