using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DeviceNotify;

// fileapi.h, ioapiset.h, winioctl.h (Windows SDK 10.0.16299). Hand-written.
internal static unsafe partial class Interop
{
    internal static unsafe partial class Kernel32
    {
        internal const string Library = "kernel32.dll";

        internal const uint GENERIC_READ = 0x80000000;
        internal const uint GENERIC_WRITE = 0x40000000;
        internal const uint FILE_SHARE_READ = 0x1;
        internal const uint FILE_SHARE_WRITE = 0x2;
        internal const uint FILE_SHARE_DELETE = 0x4;
        internal const uint OPEN_EXISTING = 3;
        internal const uint FILE_FLAG_BACKUP_SEMANTICS = 0x02000000;
        internal const uint VOLUME_NAME_GUID = 0x1;

        internal const uint FSCTL_LOCK_VOLUME = 0x00090018;
        internal const uint FSCTL_UNLOCK_VOLUME = 0x0009001C;
        internal const uint FSCTL_DISMOUNT_VOLUME = 0x00090020;
        internal const uint IOCTL_STORAGE_GET_DEVICE_NUMBER = 0x002D1080;
        internal const uint IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS = 0x00560000;

        internal const int ERROR_ACCESS_DENIED = 5;
        internal const int ERROR_MORE_DATA = 234;
        internal const int ERROR_NO_MORE_FILES = 18;

        /// <summary>STORAGE_DEVICE_NUMBER (winioctl.h): the FILE_DEVICE_* type, the device number, the partition (0 for a whole disk).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct STORAGE_DEVICE_NUMBER
        {
            public uint DeviceType;
            public uint DeviceNumber;
            public uint PartitionNumber;
        }

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
        internal static partial SafeFileHandle CreateFileW(string lpFileName, uint dwDesiredAccess, uint dwShareMode, nint lpSecurityAttributes,
            uint dwCreationDisposition, uint dwFlagsAndAttributes, nint hTemplateFile);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial int DeviceIoControl(SafeHandle hDevice, uint dwIoControlCode, void* lpInBuffer, uint nInBufferSize,
            void* lpOutBuffer, uint nOutBufferSize, uint* lpBytesReturned, nint lpOverlapped);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
        internal static partial int GetVolumeInformationW(string lpRootPathName, char* lpVolumeNameBuffer, uint nVolumeNameSize, uint* lpVolumeSerialNumber,
            uint* lpMaximumComponentLength, uint* lpFileSystemFlags, char* lpFileSystemNameBuffer, uint nFileSystemNameSize);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
        internal static partial int GetVolumePathNamesForVolumeNameW(string lpszVolumeName, char* lpszVolumePathNames, uint cchBufferLength, uint* lpcchReturnLength);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
        internal static partial int GetVolumeNameForVolumeMountPointW(string lpszVolumeMountPoint, char* lpszVolumeName, uint cchBufferLength);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial nint FindFirstVolumeW(char* lpszVolumeName, uint cchBufferLength);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial int FindNextVolumeW(nint hFindVolume, char* lpszVolumeName, uint cchBufferLength);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial int FindVolumeClose(nint hFindVolume);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial uint GetFinalPathNameByHandleW(SafeHandle hFile, char* lpszFilePath, uint cchFilePath, uint dwFlags);
    }
}
