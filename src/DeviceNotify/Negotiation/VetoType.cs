namespace DeviceNotify;

/// <summary>Why a party stopped a removal (the <c>PNP_VETO_TYPE</c> analogue).</summary>
public enum VetoType
{
    /// <summary>No veto: the party accepted.</summary>
    None = 0,
    /// <summary>A registered handler vetoed, with a reason (<c>PNP_VetoDevice</c> / application veto).</summary>
    ApplicationVeto,
    /// <summary>A registered handler did not answer before the deadline.</summary>
    Timeout,
    /// <summary>A registered handler threw; the exception's message is the reason.</summary>
    HandlerFailed,
    /// <summary>A process that never registered holds the device or a file on it open (<c>PNP_VetoOutstandingOpen</c>).</summary>
    OutstandingOpen,
    /// <summary>The kernel refused the operation (EBUSY and the like).</summary>
    KernelRefused,
}
