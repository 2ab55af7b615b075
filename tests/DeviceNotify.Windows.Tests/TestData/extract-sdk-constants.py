#!/usr/bin/env python3
"""Writes sdk-constants.txt: NAME VALUE SOURCE for the constants DeviceNotify.Compat defines, read from the Windows
SDK 10.0.16299 headers (and mingw-w64 for the few names that SDK predates). Run once where the extracted headers are
(/tmp/research-win, see FACTS.md); the output is checked in and the tests compare the compat layer against it."""
import re, sys, pathlib
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '/tmp/research-win')
out = []
def defines(header, pattern, source):
    text = (root / header).read_text(errors='replace')
    for m in re.finditer(r'^\s*#define\s+(' + pattern + r')\s+\(?\s*(0x[0-9A-Fa-f]+|\d+)L?\s*\)?', text, re.M):
        out.append((m.group(1), int(m.group(2), 0), source + '/' + pathlib.Path(header).name))
def enum(header, first, last, source):
    text = (root / header).read_text(errors='replace')
    body = text[text.index(first):text.index(last) + len(last)] + '\n'
    value = -1
    for m in re.finditer(r'(\w+)\s*(?:=\s*(0x[0-9A-Fa-f]+|\d+))?\s*,?\s*(?://[^\n]*)?\n', body):
        value = int(m.group(2), 0) if m.group(2) else value + 1
        out.append((m.group(1), value, source + '/' + pathlib.Path(header).name))
defines('sdk/cfgmgr32.h', r'CR_\w+|NUM_CR_RESULTS|CM_NOTIFY_FILTER_FLAG_\w+|CM_GET_DEVICE_INTERFACE_LIST_\w+|CM_REMOVE_\w+|CM_LOCATE_DEVNODE_\w+|MAX_DEVICE_ID_LEN', 'sdk')
defines('sdk/Dbt.h', r'DBT_\w+|DBTF_\w+|WM_DEVICECHANGE', 'sdk')
defines('sdk/WinUser.h', r'BROADCAST_QUERY_DENY|DEVICE_NOTIFY_\w+', 'sdk')
defines('sdk/winsvc.h', r'SERVICE_CONTROL_\w+', 'sdk')
defines('sdk/devpropdef.h', r'DEVPROP_TYPE_STRING', 'sdk')
defines('sdk/fileapi.h', r'OPEN_EXISTING', 'sdk')
defines('sdk/WinBase.h', r'FILE_FLAG_BACKUP_SEMANTICS', 'sdk')
defines('sdk/winnt.h', r'GENERIC_READ|GENERIC_WRITE|FILE_SHARE_READ|FILE_SHARE_WRITE|FILE_SHARE_DELETE', 'sdk')
defines('sdk/winerror.h', r'(?:ERROR_SUCCESS|NO_ERROR|ERROR_INVALID_FUNCTION|ERROR_FILE_NOT_FOUND|ERROR_PATH_NOT_FOUND|ERROR_ACCESS_DENIED|ERROR_INVALID_HANDLE|ERROR_INVALID_DATA|ERROR_GEN_FAILURE|ERROR_SHARING_VIOLATION|ERROR_NOT_SUPPORTED|ERROR_INVALID_PARAMETER|ERROR_CALL_NOT_IMPLEMENTED|ERROR_NOT_LOCKED|ERROR_SERVICE_DOES_NOT_EXIST|ERROR_CANCELLED|ERROR_INVALID_WINDOW_HANDLE)(?=\s)', 'sdk')
defines('mingw/cfgmgr32.h', r'CM_REMOVE_DISABLE', 'mingw')
enum('sdk/cfgmgr32.h', 'CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE = 0', 'CM_NOTIFY_FILTER_TYPE_MAX', 'sdk')
enum('sdk/cfgmgr32.h', 'CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL = 0', 'CM_NOTIFY_ACTION_MAX', 'sdk')
enum('sdk/cfg.h', 'PNP_VetoTypeUnknown', 'PNP_VetoInsufficientRights', 'sdk')
enum('mingw/cfg.h', 'PNP_VetoTypeUnknown', 'PNP_VetoAlreadyRemoved', 'mingw')
for line in (root / 'sdk_guids.txt').read_text().splitlines():
    name, guid, header = line.split()
    if name.startswith(('GUID_IO_', 'GUID_DEVINTERFACE_', 'GUID_DEVICE_EVENT_RBC')):
        out.append((name, guid, 'sdk/' + header))
for line in (root / 'mingw_guids.txt').read_text().splitlines():
    parts = line.split()
    if len(parts) >= 2 and parts[0] in ('GUID_DEVINTERFACE_SCM_PHYSICAL_DEVICE', 'GUID_DEVINTERFACE_ZNSDISK') and all(o[0] != parts[0] for o in out):
        out.append((parts[0], parts[1].lower(), 'mingw'))
seen = set()
with open(pathlib.Path(__file__).with_name('sdk-constants.txt'), 'w') as f:
    f.write('# NAME VALUE SOURCE, extracted by extract-sdk-constants.py from the Windows SDK 10.0.16299 headers (sdk/) and mingw-w64 (mingw/)\n')
    for name, value, source in out:
        if name in seen: continue
        seen.add(name)
        f.write(f'{name} {value} {source}\n')
print(len(seen))
